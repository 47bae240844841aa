package io.mpathfs.control.hotplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsidevice.PathDiscovery;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.control.ctl.PathsControl;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.control.testsupport.InterposedSimPath;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot-plug on the embedded target, with disks faked in a sysfs tree: a disk of the LU that
 * appears joins through ctl/paths' add (identity-checked, registered on the target before its
 * first IO); blacklisted disks and other LUs' are left alone; a disk that goes is removed, its IO
 * in flight failing over; the last path stays.
 */
class HotplugWatchTest {
    private static final long KEY = 0xa;

    @TempDir
    Path sys;
    private SimTarget target;
    private SimTarget otherLu;
    private MultipathDevice device;
    private PrCoordinator pr;
    private HotplugWatch watch;
    private String wwid;
    private final Map<String, DevicePath> disks = new HashMap<>();

    /** A target port's path under a /dev/sdX name; records whether its nexus was registered at its first data IO. */
    static final class Disk extends InterposedSimPath {
        final String name;
        final SimTarget on;
        final AtomicReference<Boolean> registeredAtFirstIo = new AtomicReference<>();
        volatile CountDownLatch stallNextRead;
        final CountDownLatch readStalled = new CountDownLatch(1);

        Disk(String name, SimTarget on, SimPath p) {
            super(p);
            this.name = name;
            this.on = on;
        }

        @Override
        public String name() {
            return name;
        }

        private void firstIo() {
            registeredAtFirstIo.compareAndSet(null,
                    on.prSnapshot().registration(sim().nexus().id()).map(e -> e.key() == KEY).orElse(false));
        }

        @Override
        public void read(long offset, AlignedBuffer buf, int length) throws PathException {
            firstIo();
            CountDownLatch stall = stallNextRead;
            if (stall != null) {
                // The disk goes away under this read: it fails as IO to a deleted device does.
                stallNextRead = null;
                readStalled.countDown();
                try {
                    stall.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new PathException(ErrorClass.PATH_FAILURE, Errno.ENXIO, name + ": device gone");
            }
            super.read(offset, buf, length);
        }

        @Override
        public void write(long offset, AlignedBuffer buf, int length) throws PathException {
            firstIo();
            super.write(offset, buf, length);
        }

        @Override
        protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
                throws PathException {
            return real.execute(cdb, dir, data, timeoutMs);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        target = SimTarget.create(SimConfig.builder().capacityBytes(8L << 20).targetPorts(5).build());
        otherLu = SimTarget.create(SimConfig.builder().capacityBytes(8L << 20).targetPorts(1).build());
        wwid = target.identity();
        for (int i = 0; i < 4; i++) {
            String n = "sd" + (char) ('b' + i);
            disks.put("/dev/" + n, new Disk("/dev/" + n, target, target.path(i)));
        }
        disks.put("/dev/sdg", new Disk("/dev/sdg", otherLu, otherLu.path(0))); // shows our WWID, is another LU
        sysDisk("sdb", wwid);
        sysDisk("sdc", wwid);
        device = new MultipathDevice("hp", List.of(disks.get("/dev/sdb"), disks.get("/dev/sdc")),
                new DeviceConfig("round-robin", Duration.ofMillis(50), NoPathRetry.FAIL));
        pr = new PrCoordinator(device, new KeysFile(Files.createTempDirectory("prkeys").resolve("prkeys")), true);
        pr.start();
        PathsControl paths = new PathsControl(device, spec -> {
            DevicePath p = disks.get(spec);
            if (p == null) {
                throw new AssertionError("hot-plug opened " + spec + ", which it must leave alone");
            }
            return p;
        });
        watch = new HotplugWatch(device, paths, multipathWwid(wwid), new PathDiscovery(sys.resolve("block")),
                name -> !name.equals("sdf"));
        assertTrue(pr.execute(PrCommand.parse("-c register -k 0xa")).isOk());
        assertTrue(pr.execute(PrCommand.parse("-c reserve -k 0xa -t exclusive-access-reg-only")).isOk());
    }

    @AfterEach
    void tearDown() {
        watch.close();
        pr.close();
        device.close();
    }

    /** The watch is given the WWID as multipath prints it; sysfs shows naa.…: both name the LU. */
    private static String multipathWwid(String identity) {
        return identity.startsWith("naa.") ? "3" + identity.substring(4) : identity;
    }

    private void sysDisk(String name, String id) throws Exception {
        Path dev = sys.resolve("block").resolve(name).resolve("device");
        Files.createDirectories(dev);
        Files.writeString(dev.resolve("wwid"), id + "\n");
    }

    private void sysRemove(String name) throws Exception {
        Path d = sys.resolve("block").resolve(name);
        Files.delete(d.resolve("device/wwid"));
        Files.delete(d.resolve("device"));
        Files.delete(d);
    }

    private List<String> pathNames() {
        return device.paths().stream().map(PathEntry::name).toList();
    }

    private int reads(int n) {
        int errors = 0;
        try (AlignedBuffer buf = AlignedBuffer.allocate(4096)) {
            for (int i = 0; i < n; i++) {
                try {
                    device.read((long) i * 4096, buf, 4096);
                } catch (Exception e) {
                    errors++;
                }
            }
        }
        return errors;
    }

    @Test
    void aDiskOfTheLuThatAppearsJoinsRegisteredBeforeItsFirstIo() throws Exception {
        sysDisk("sdd", wwid);
        sysDisk("sdf", wwid);                  // blacklisted
        sysDisk("sde", otherLu.identity());     // another LU
        sysDisk("sdg", wwid);                  // claims our WWID, but the path itself is another LU
        watch.rescan();
        assertEquals(List.of("/dev/sdb", "/dev/sdc", "/dev/sdd"), pathNames());
        PathEntry sdd = device.find("/dev/sdd");
        assertEquals(PathState.ACTIVE, sdd.state());
        assertEquals(Registration.YES, sdd.registration());
        Disk d = (Disk) disks.get("/dev/sdd");
        assertEquals(KEY, target.prSnapshot().registration(d.sim().nexus().id()).orElseThrow().key(),
                "the new nexus carries our key on the target");
        assertEquals(0, reads(30), "round-robin reads under exclusive-access-reg-only, the new path among them");
        assertTrue(sdd.ioCount() > 0, "the new path carried IO");
        assertEquals(Boolean.TRUE, d.registeredAtFirstIo.get(), "registered before its first IO");
        assertNull(device.find("/dev/sdg"), "identity check refused a path to another LU");

        watch.rescan(); // nothing changed: nothing added twice, the refused one still refused
        assertEquals(List.of("/dev/sdb", "/dev/sdc", "/dev/sdd"), pathNames());
    }

    @Test
    void aDiskThatGoesIsRemovedItsIoInFlightFailsOverAndTheLastPathStays() throws Exception {
        device.setPolicy("failover"); // IO goes to the first path: the one about to go
        Disk sdb = (Disk) disks.get("/dev/sdb");
        CountDownLatch release = new CountDownLatch(1);
        sdb.stallNextRead = release;
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> reads(1));
        assertTrue(sdb.readStalled.await(30, TimeUnit.SECONDS), "a read is in flight on /dev/sdb");
        sysRemove("sdb");
        CompletableFuture<Void> rescan = CompletableFuture.runAsync(() -> {
            try {
                watch.rescan();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Waits.await(() -> device.find("/dev/sdb") == null, "/dev/sdb leaves the device");
        release.countDown(); // the gone device fails the read
        assertEquals(0, read.get(30, TimeUnit.SECONDS), "the read in flight failed over to /dev/sdc");
        rescan.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("/dev/sdc"), pathNames());

        sysRemove("sdc");
        watch.rescan();
        assertNotNull(device.find("/dev/sdc"), "the last path stays, the device's only way back to the LU");
    }

    /** Bounded waits for a state, never a race against the clock. */
    private static final class Waits {
        static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!c.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out waiting: " + what);
                }
                Thread.sleep(5);
            }
        }
    }
}
