package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.sim.PrSnapshot;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PR ioctls on disk, struct by struct, against a coordinator over the embedded target: what
 * each returns (0, a PR status, -errno) and what it leaves on the target.
 */
class PrIoctlTest {
    private static final int FL_IGNORE_KEY = 1, CONFLICT = 0x18;
    private static final int EA_RO = PrType.EXCLUSIVE_ACCESS_REG_ONLY.linuxType();

    private SimTarget target;
    private MultipathDevice device;
    private PrCoordinator coordinator;
    private PrIoctl ioctl;

    @BeforeEach
    void start() throws Exception {
        target = SimTarget.create(SimConfig.builder().capacityBytes(1 << 20).targetPorts(2).build());
        List<DevicePath> paths = new ArrayList<>(target.paths());
        device = new MultipathDevice("t", paths, new DeviceConfig("round-robin", Duration.ofHours(1), NoPathRetry.FAIL));
        coordinator = new PrCoordinator(device, new KeysFile(Files.createTempDirectory("keys").resolve("prkeys")),
                false);
        coordinator.start();
        ioctl = new PrIoctl(coordinator);
    }

    @AfterEach
    void stop() {
        coordinator.close();
        device.close();
    }

    private static Pointer struct(int size) {
        return Memory.allocateDirect(Runtime.getSystemRuntime(), size, true);
    }

    private int register(long oldKey, long newKey, int flags) {
        Pointer d = struct(PrStructs.Registration.SIZE);
        d.putLong(0, oldKey);
        d.putLong(8, newKey);
        d.putInt(16, flags);
        return ioctl.ioctl(PrIoctl.IOC_PR_REGISTER, d);
    }

    private int reservation(int cmd, long key, int type, int flags) {
        Pointer d = struct(PrStructs.Reservation.SIZE);
        d.putLong(0, key);
        d.putInt(8, type);
        d.putInt(12, flags);
        return ioctl.ioctl(cmd, d);
    }

    private int ourRegistrations(long key) {
        return (int) target.prSnapshot().registrations().stream().filter(e -> e.key() == key).count();
    }

    @Test
    void handlesTheEightPrIoctlsAndNothingElse() {
        for (int cmd : new int[] {PrIoctl.IOC_PR_REGISTER, PrIoctl.IOC_PR_RESERVE, PrIoctl.IOC_PR_RELEASE,
                PrIoctl.IOC_PR_PREEMPT, PrIoctl.IOC_PR_PREEMPT_ABORT, PrIoctl.IOC_PR_CLEAR, PrIoctl.IOC_PR_READ_KEYS,
                PrIoctl.IOC_PR_READ_RESERVATION}) {
            assertTrue(ioctl.handles(cmd), Integer.toHexString(cmd));
        }
        assertFalse(ioctl.handles(0x1260)); // BLKGETSIZE64's neighbour BLKGETSIZE
    }

    @Test
    void registerReachesEveryPathAndAWrongOldKeyIsAConflict() {
        assertEquals(0, register(0, 0xa, 0));
        assertEquals(2, ourRegistrations(0xa));
        assertEquals(CONFLICT, register(0x99, 0xb, 0));
        assertEquals(0, register(0x99, 0xb, FL_IGNORE_KEY));
        assertEquals(2, ourRegistrations(0xb));
        assertEquals(-Errno.EOPNOTSUPP, register(0, 0xc, 2));
    }

    @Test
    void reserveThenReadReservationThenRelease() {
        assertEquals(0, register(0, 0xa, 0));
        assertEquals(0, reservation(PrIoctl.IOC_PR_RESERVE, 0xa, EA_RO, 0));
        PrSnapshot s = target.prSnapshot();
        assertEquals(PrType.EXCLUSIVE_ACCESS_REG_ONLY, s.reservationType().orElseThrow());

        Pointer held = struct(PrStructs.HeldReservation.SIZE);
        assertEquals(0, ioctl.ioctl(PrIoctl.IOC_PR_READ_RESERVATION, held));
        PrStructs.HeldReservation h = PrStructs.HeldReservation.read(held);
        assertEquals(0xa, h.key());
        assertEquals(EA_RO, h.type());
        assertEquals(s.generation(), h.generation());

        assertEquals(0, reservation(PrIoctl.IOC_PR_RELEASE, 0xa, EA_RO, 0));
        assertTrue(target.prSnapshot().reservationType().isEmpty());
        assertEquals(0, ioctl.ioctl(PrIoctl.IOC_PR_READ_RESERVATION, held));
        assertEquals(0, PrStructs.HeldReservation.read(held).key());
    }

    @Test
    void flagsAndTypesTheBlockLayerRefuses() {
        assertEquals(0, register(0, 0xa, 0));
        assertEquals(-Errno.EOPNOTSUPP, reservation(PrIoctl.IOC_PR_RESERVE, 0xa, EA_RO, 2));
        assertEquals(-Errno.EOPNOTSUPP, reservation(PrIoctl.IOC_PR_RELEASE, 0xa, EA_RO, FL_IGNORE_KEY));
        assertEquals(-Errno.EINVAL, reservation(PrIoctl.IOC_PR_RESERVE, 0xa, 99, 0));
        Pointer clear = struct(PrStructs.Clear.SIZE);
        clear.putLong(0, 0xa);
        clear.putInt(8, 1);
        assertEquals(-Errno.EOPNOTSUPP, ioctl.ioctl(PrIoctl.IOC_PR_CLEAR, clear));
        assertEquals(-Errno.ENOTTY, ioctl.ioctl(PrIoctl.IOC_PR_READ_KEYS, struct(16)));
        assertEquals(2, ourRegistrations(0xa), "nothing refused reached the device");
    }

    @Test
    void aPreemptOfOurOwnKeyChangesTheTypeAndClearEndsEverything() throws Exception {
        assertEquals(0, register(0, 0xa, 0));
        assertEquals(0, reservation(PrIoctl.IOC_PR_RESERVE, 0xa, EA_RO, 0));
        Pointer p = struct(PrStructs.Preempt.SIZE);
        p.putLong(0, 0xa);
        p.putLong(8, 0xa);
        p.putInt(16, PrType.WRITE_EXCLUSIVE_REG_ONLY.linuxType());
        p.putInt(20, 0);
        assertEquals(0, ioctl.ioctl(PrIoctl.IOC_PR_PREEMPT, p));
        assertEquals(PrType.WRITE_EXCLUSIVE_REG_ONLY, target.prSnapshot().reservationType().orElseThrow());
        assertEquals(2, ourRegistrations(0xa));
        p.putInt(20, 1);
        assertEquals(-Errno.EOPNOTSUPP, ioctl.ioctl(PrIoctl.IOC_PR_PREEMPT, p));

        Pointer clear = struct(PrStructs.Clear.SIZE);
        clear.putLong(0, 0xa);
        assertEquals(0, ioctl.ioctl(PrIoctl.IOC_PR_CLEAR, clear));
        assertEquals(0, target.prSnapshot().registrations().size());
    }
}
