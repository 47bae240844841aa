package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.fuse.testsupport.CtlPaths;
import io.mpathfs.fuse.testsupport.EmbeddedMount;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Data integrity across real path failures, at the application's queue depth: fio writes with
 * crc32c verification (4 jobs, iodepth 16, 4 KiB-1 MiB mixed) through the default transport while
 * the embedded target's nexuses go offline and come back, one at a time and two at once, with our
 * key registered so that every return is a re-registration.
 *
 * <p>fio runs in whole rounds (write, then verify everything written) until the failure sequence
 * is done: no round is interrupted, so every byte written is verified whatever the machine's
 * pace, and the sequence waits for states rather than for time.
 */
class FailoverVerifyIT {
    private static final Duration BOUND = Duration.ofSeconds(120);

    @RegisterExtension
    final EmbeddedMount mount = new EmbeddedMount("mpathfs-failover-verify",
            SimConfig.builder().capacityBytes(192L << 20).targetPorts(4).build(),
            new DeviceConfig("round-robin", Duration.ofMillis(500), new NoPathRetry(20))).requiring("fio", "fio");
    CompletableFuture<List<String>> rounds;

    @Test
    void fioVerifyAcrossPathFailuresHasNoErrorsAndNothingCorrupt() throws Exception {
        Ctl.Answer reg = Ctl.tx(mount.point().resolve("ctl/pr"), "-c register -k 0x1");
        assertTrue(reg.ok(), reg.text());

        AtomicBoolean failuresDone = new AtomicBoolean();
        rounds = CompletableFuture.supplyAsync(() -> fioRounds(failuresDone));
        try {
            awaitIoOn("sim:1", 1);
            for (int[] down : new int[][] {{1}, {2}, {3, 4}, {1, 3}}) {
                failAndReturn(down);
            }
        } finally {
            failuresDone.set(true);
            for (int p = 1; p <= 4; p++) {
                mount.sim("path " + p + " online");
            }
        }
        List<String> outputs = rounds.get(15, TimeUnit.MINUTES);
        assertFalse(outputs.isEmpty());
        for (String out : outputs) {
            assertTrue(out.contains("err= 0"), out);
            assertTrue(out.contains("READ:"), "the round verified what it wrote:\n" + out);
            assertFalse(out.contains("verify: bad") || out.contains("crc32c: verify failed")
                    || out.contains("bad header"), "corrupt data:\n" + out);
        }
        Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
        for (CtlPaths.Row r : rows.values()) {
            assertEquals("active", r.state(), r.toString());
            assertEquals("yes", r.registered(), r.toString());
        }
        String target = Mounts.read(mount.point().resolve("ctl/sim"));
        assertEquals(4, target.lines().filter(l -> l.matches("\\s+A\\d .*key 0x1 .*")).count(), target);
    }

    /**
     * Takes the given nexuses offline while fio runs, waits until the device has failed them and IO
     * has completed on the others meanwhile, brings them back and waits until they are registered
     * and active again.
     */
    private void failAndReturn(int[] down) throws Exception {
        List<String> devices = new ArrayList<>();
        for (int p : down) {
            assertTrue(mount.sim("path " + p + " offline").ok());
            devices.add("sim:" + p);
        }
        for (String d : devices) {
            await(d + " failed", () -> "failed".equals(CtlPaths.read(mount.point()).get(d).state()));
        }
        String survivor = null;
        for (int p = 1; p <= 4 && survivor == null; p++) {
            if (!devices.contains("sim:" + p)) {
                survivor = "sim:" + p;
            }
        }
        long before = CtlPaths.read(mount.point()).get(survivor).io();
        awaitIoOn(survivor, before + 20);
        for (int p : down) {
            assertTrue(mount.sim("path " + p + " online").ok());
        }
        for (String d : devices) {
            await(d + " active and registered", () -> {
                CtlPaths.Row r = CtlPaths.read(mount.point()).get(d);
                return "active".equals(r.state()) && "yes".equals(r.registered());
            });
            long back = CtlPaths.read(mount.point()).get(d).io();
            awaitIoOn(d, back + 20);
        }
    }

    private void awaitIoOn(String device, long io) throws Exception {
        await(device + " carried " + io + " IOs", () -> CtlPaths.read(mount.point()).get(device).io() >= io);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits for a state; the bound only catches a hang, and a failed fio round ends the wait. */
    private void await(String what, Condition c) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!c.holds()) {
            if (rounds.isDone()) {
                rounds.join();
                throw new AssertionError("fio stopped while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + BOUND.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Whole fio rounds until the failure sequence is done; the first failing round ends them. */
    private List<String> fioRounds(AtomicBoolean failuresDone) {
        List<String> outputs = new ArrayList<>();
        do {
            Sh.Result r = Sh.run(600, "fio", "--name=failover", "--filename=" + mount.point().resolve("disk"),
                    "--verify_state_save=0", "--direct=1", "--ioengine=libaio", "--iodepth=16", "--numjobs=4",
                    "--rw=randwrite", "--bsrange=4k-1m", "--size=32m", "--offset_increment=32m",
                    "--verify=crc32c", "--do_verify=1", "--output-format=normal");
            outputs.add(r.out());
            if (r.rc() != 0) {
                throw new AssertionError("fio round " + outputs.size() + " failed (rc " + r.rc() + "):\n" + r.out());
            }
        } while (!failuresDone.get());
        return outputs;
    }
}
