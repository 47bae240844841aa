package io.mpathfs.control.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.NexusId;
import io.mpathfs.backends.sim.PrSnapshot;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimNexus;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.PathChecker;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.control.pr.PrResult;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The test bench of the coordinator: the embedded target with this host's 4 paths as one
 * multipath device (round-robin, so IO touches every path), and host B acting on the same LU
 * through its own nexus, as another cluster node would.
 */
public final class TwoHosts implements AutoCloseable {
    public final SimTarget target;
    public final MultipathDevice device;
    public final PrCoordinator pr;
    final PathChecker checker;
    public final Path keys;
    private final AlignedBuffer buf = AlignedBuffer.allocate(4096);

    public TwoHosts(int paths) throws Exception {
        this(SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(paths).build()), null);
    }

    /** With paths wrapped (e.g. to hook a moment between two of the coordinator's commands). */
    public TwoHosts(SimTarget target, Function<SimPath, DevicePath> wrap) throws Exception {
        this.target = target;
        List<DevicePath> ps = new ArrayList<>();
        for (SimPath p : target.paths()) {
            ps.add(wrap == null ? p : wrap.apply(p));
        }
        this.device = new MultipathDevice("t", ps,
                new DeviceConfig("round-robin", Duration.ofMillis(50), NoPathRetry.FAIL));
        this.keys = Files.createTempDirectory("prkeys").resolve("prkeys");
        this.pr = new PrCoordinator(device, new KeysFile(keys), true);
        pr.start();
        this.checker = new PathChecker(device);
    }

    /** Our host, through ctl/pr's language. */
    public PrResult ours(String line) throws PrSyntaxException {
        return pr.execute(PrCommand.parse(line));
    }

    /** Host B through target port `port`, as sd.c would send it (UNIT ATTENTIONs retried). */
    public ScsiResult hostB(int port, PrOut.Request r) throws Exception {
        SimNexus n = target.nexus("B", port);
        ScsiResult res = null;
        for (int i = 0; i < 6; i++) {
            res = n.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 1000);
            if (!res.isUnitAttention()) {
                break;
            }
        }
        return res;
    }

    /** 0 when a 4 KiB read (or write) through the device succeeds, else the errno the application sees. */
    public int io(boolean write, long offset) {
        try {
            if (write) {
                device.write(offset, buf, 4096);
            } else {
                device.read(offset, buf, 4096);
            }
            return 0;
        } catch (DeviceIoException e) {
            return e.errno();
        }
    }

    public PrSnapshot snap() {
        return target.prSnapshot();
    }

    NexusId nexus(int pathIndex) {
        return target.path(pathIndex).nexus().id();
    }

    /** The key registered on this host's path i (its I_T nexus) on the target, or 0. */
    public long keyOn(int pathIndex) {
        return snap().registration(nexus(pathIndex)).map(PrSnapshot.Entry::key).orElse(0L);
    }

    public int ourRegistrations(long key) {
        int n = 0;
        for (PrSnapshot.Entry e : snap().registrations()) {
            if (e.key() == key && e.nexus().initiator().equals(target.initiatorName("A"))) {
                n++;
            }
        }
        return n;
    }

    public void offline(int pathIndex, boolean off) {
        target.path(pathIndex).nexus().setOnline(!off);
    }

    public String pathName(int i) {
        return target.path(i).name();
    }

    public void assertOk(PrResult r) {
        assertTrue(r.isOk(), "expected success, got errno " + r.errno() + ": " + r.text());
    }

    /** Waits (bounded) for a condition the coordinator reaches asynchronously. */
    public static void await(BooleanSupplier c, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        checker.close();
        pr.close();
        buf.close();
        device.close();
        target.close();
    }
}
