package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.sim.PrSnapshot;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.control.AluaMode;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.fuse.testsupport.CtlPaths;
import io.mpathfs.fuse.testsupport.EmbeddedMount;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ALUA through the mount of the embedded target, as {@code demo --alua} sets it up: target port
 * group 1 (paths sim:1, sim:2) active/optimized, group 2 (sim:3, sim:4) standby; the array swaps
 * them through ctl/sim while real clients (dd, fio, mpathfs pr) use the mount.
 */
class AluaMountIT {
    private static final List<String> GROUP_1 = List.of("sim:1", "sim:2"), GROUP_2 = List.of("sim:3", "sim:4");
    @RegisterExtension
    final EmbeddedMount mount = new EmbeddedMount("mpathfs-alua",
            SimConfig.builder().capacityBytes(64L << 20).targetPorts(4).build(),
            new DeviceConfig("round-robin", Duration.ofMillis(500), new NoPathRetry(4), AluaMode.IMPLICIT))
            .arranged(EmbeddedDefault::twoPortGroups).requiring("fio", "fio");

    private void sim(String line) throws Exception {
        Ctl.Answer a = mount.sim(line);
        assertTrue(a.ok(), line + ": " + a);
    }

    private long io(Map<String, CtlPaths.Row> rows, List<String> paths) {
        return paths.stream().mapToLong(p -> rows.get(p).io()).sum();
    }

    /** Waits (bounded only to catch a hang) until ctl/paths satisfies the condition. */
    private Map<String, CtlPaths.Row> await(String what, Predicate<Map<String, CtlPaths.Row>> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
            if (until.test(rows)) {
                return rows;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what + "\n" + Mounts.read(mount.point().resolve("ctl/paths")));
            }
            Thread.sleep(20);
        }
    }

    private static void assertNoneFailed(Map<String, CtlPaths.Row> rows) {
        for (CtlPaths.Row r : rows.values()) {
            assertTrue(!r.state().equals("failed"), "no path failed: " + r);
        }
    }

    private Sh.Result dd(int count) {
        return Sh.run(120, "dd", "if=" + mount.point().resolve("disk"), "of=/dev/null", "bs=4k", "count=" + count,
                "iflag=direct");
    }

    @Test
    void ioGoesOnlyToTheActiveGroupAndTheStandbyPathsAreGhosts() throws Exception {
        Sh.Result dd = dd(400);
        assertEquals(0, dd.rc(), dd.out());
        Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
        assertTrue(io(rows, GROUP_1) >= 400, rows.toString());
        assertTrue(rows.get("sim:1").io() > 0 && rows.get("sim:2").io() > 0, "round-robin in the group: " + rows);
        assertEquals(0, io(rows, GROUP_2), rows.toString());
        for (String p : GROUP_1) {
            assertEquals("active", rows.get(p).state());
            assertEquals(1, rows.get(p).group());
            assertEquals("ao", rows.get(p).alua());
        }
        for (String p : GROUP_2) {
            assertEquals("ghost", rows.get(p).state(), "standby is not down: " + rows.get(p));
            assertEquals(2, rows.get(p).group());
            assertEquals("standby", rows.get(p).alua());
        }
        String status = Mounts.read(mount.point().resolve("ctl/status"));
        assertTrue(status.contains("group 1 ao paths sim:1 sim:2") && status.contains("group 2 standby paths sim:3 sim:4"),
                status);
    }

    @Test
    void aGroupSwapUnderFioVerifyLosesNothingAndFailsNoPath() throws Exception {
        Path out = mount.dir().resolve("fio.out");
        Process fio = new ProcessBuilder("fio", "--name=swap", "--filename=" + mount.point().resolve("disk"),
                "--direct=1", "--ioengine=psync", "--rw=randwrite", "--bsrange=4k-1m", "--numjobs=4", "--size=16m",
                "--offset_increment=16m", "--verify=crc32c", "--verify_backlog=16", "--verify_fatal=1",
                "--verify_state_save=0", "--time_based", "--runtime=8", "--group_reporting")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long g1 = io(await("fio writes through group 1", r -> io(r, GROUP_1) >= 40), GROUP_1);
            sim("group 2 state ao");
            sim("group 1 state standby");
            Map<String, CtlPaths.Row> swapped = await("IO moves to group 2", r -> io(r, GROUP_2) >= 40);
            long g2 = io(swapped, GROUP_2);
            sim("group 1 state ao");
            sim("group 2 state standby");
            await("IO moves back to group 1", r -> io(r, GROUP_1) >= io(swapped, GROUP_1) + 40);
            assertTrue(fio.waitFor(120, TimeUnit.SECONDS), "fio finished");
            String text = Files.readString(out);
            assertEquals(0, fio.exitValue(), text);
            assertTrue(text.contains("err= 0"), text);
            assertTrue(!text.contains("verify:") && !text.contains("bad magic") && !text.contains("crc32c: verify failed"),
                    "no corrupt block: " + text);
            Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
            assertNoneFailed(rows);
            assertTrue(g1 > 0 && g2 > 0);
        } finally {
            fio.destroyForcibly();
            fio.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withExclusiveAccessRegistrantsOnlyEveryPathStaysRegisteredThroughTheSwap() throws Exception {
        assertEquals(0, mount.pr("-c", "register", "-k", "0xa").rc());
        assertEquals(0, mount.pr("-c", "reserve", "-k", "0xa", "-t", "exclusive-access-reg-only").rc());
        assertEquals(4, registrationsOf(0xa), "standby ports took PR OUT too: " + mount.target().describe());
        for (String[] swap : List.of(new String[] {"group 2 state ao", "group 1 state standby"},
                new String[] {"group 1 state ao", "group 2 state standby"})) {
            sim(swap[0]);
            sim(swap[1]);
            Sh.Result dd = dd(200);
            assertEquals(0, dd.rc(), "no reservation conflict on any group: " + dd.out());
            assertEquals(4, registrationsOf(0xa), mount.target().describe());
            Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
            assertNoneFailed(rows);
            rows.values().forEach(r -> assertEquals("yes", r.registered(), r.toString()));
        }
        Map<String, CtlPaths.Row> rows = CtlPaths.read(mount.point());
        assertTrue(io(rows, GROUP_2) > 0, "group 2 carried IO while it was active: " + rows);
    }

    @Test
    void anExclusiveAccessHolderInAGroupGoneStandbyIsMovedToTheActiveGroup() throws Exception {
        assertEquals(0, mount.pr("-c", "register", "-k", "0xb").rc());
        assertEquals(0, mount.pr("-c", "reserve", "-k", "0xb", "-t", "exclusive-access").rc());
        int before = mount.target().prSnapshot().holder().targetPort();
        assertTrue(before <= 2, "reserved through the active group: port " + before);
        sim("group 2 state ao");
        sim("group 1 state standby");
        Sh.Result dd = dd(100);
        assertEquals(0, dd.rc(), "IO goes on through the moved reservation: " + dd.out());
        PrSnapshot s = mount.target().prSnapshot();
        assertTrue(s.holder().targetPort() >= 3, "the holder moved to group 2: " + mount.target().describe());
        assertEquals(4, registrationsOf(0xb), mount.target().describe());
        assertNoneFailed(CtlPaths.read(mount.point()));
    }

    private long registrationsOf(long key) {
        PrSnapshot s = mount.target().prSnapshot();
        return s.registrations().stream().filter(e -> e.key() == key && mount.target().hostOf(e.nexus().initiator())
                .equals("A")).count();
    }
}
