package io.mpathfs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.ctl.PathsControl;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The device over the embedded target's target port groups: IO to the best group only, never a failed path for it. */
class AluaDeviceTest {
    private SimTarget target;
    private MultipathDevice dev;
    private final AlignedBuffer buf = AlignedBuffer.allocate(65536);

    private MultipathDevice open(int tpgs, AluaMode mode, boolean twoGroups) throws Exception {
        target = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).tpgs(tpgs).build());
        if (twoGroups) {
            target.setGroupState(2, AluaState.STANDBY);
            target.movePort(1, 1);
            target.movePort(2, 1);
            target.movePort(3, 2);
            target.movePort(4, 2);
        }
        List<DevicePath> paths = new ArrayList<>(target.paths());
        dev = new MultipathDevice("t", paths, new DeviceConfig("round-robin", Duration.ofSeconds(60), NoPathRetry.FAIL,
                mode));
        dev.discoverAlua();
        return dev;
    }

    @AfterEach
    void tearDown() {
        if (dev != null) {
            dev.close();
        }
        if (target != null) {
            target.close();
        }
        buf.close();
    }

    private long io(String path) {
        return dev.find(path).ioCount();
    }

    private void reads(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            dev.read(4096L * (i % 64), buf, 4096);
        }
    }

    private void assertNoneFailed() {
        for (PathEntry p : dev.paths()) {
            assertEquals(PathState.ACTIVE, p.state(), p.name() + ": " + p.lastError());
        }
    }

    @Test
    void ioGoesToTheActiveGroupOnlyAndStandbyPathsAreGhosts() throws Exception {
        open(1, AluaMode.IMPLICIT, true);
        reads(100);
        assertEquals(100, io("sim:1") + io("sim:2"));
        assertTrue(io("sim:1") > 0 && io("sim:2") > 0, "round-robin inside the group");
        assertEquals(0, io("sim:3") + io("sim:4"));
        assertTrue(PathsControl.line(dev.find("sim:3")).startsWith("sim:3 ghost registered=no"),
                PathsControl.line(dev.find("sim:3")));
        assertTrue(PathsControl.line(dev.find("sim:1")).endsWith(" group=1 alua=ao"), PathsControl.line(dev.find("sim:1")));
        new PathChecker(dev).checkAll();
        assertNoneFailed();
        assertTrue(dev.alua().describe(dev.paths()).contains("group 2 standby paths sim:3 sim:4"),
                dev.alua().describe(dev.paths()));
    }

    @Test
    void anImplicitSwapMovesIoWithoutFailingAPathOrAnIo() throws Exception {
        open(1, AluaMode.IMPLICIT, true);
        reads(10);
        target.setGroupState(2, AluaState.ACTIVE_OPTIMIZED);
        target.setGroupState(1, AluaState.STANDBY);
        long before = io("sim:1") + io("sim:2");
        reads(100);
        assertEquals(100, io("sim:3") + io("sim:4"), "after the swap IO goes to group 2");
        // io counts attempts: the first IO after the swap met NOT READY 04/0B on group 1 and moved on
        assertTrue(io("sim:1") + io("sim:2") - before <= 1, "group 1 took no IO after it refused one");
        assertNoneFailed();
        assertEquals(AluaState.STANDBY, dev.find("sim:1").alua().state());
        // and an unavailable group is left too, without failing its paths
        target.setGroupState(1, AluaState.ACTIVE_NON_OPTIMIZED);
        target.setGroupState(2, AluaState.UNAVAILABLE);
        reads(20);
        assertEquals(AluaState.ACTIVE_NON_OPTIMIZED, dev.find("sim:2").alua().state());
        assertNoneFailed();
    }

    @Test
    void ioWaitsForATransitioningGroup() throws Exception {
        open(1, AluaMode.IMPLICIT, true);
        target.setGroupState(1, AluaState.TRANSITIONING);
        CompletableFuture<Void> settle = CompletableFuture.runAsync(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            target.setGroupState(1, AluaState.ACTIVE_OPTIMIZED);
        });
        reads(5); // 04/0A: retried until the group settles, not failed
        settle.get(30, TimeUnit.SECONDS);
        assertEquals(AluaState.ACTIVE_OPTIMIZED, dev.find("sim:1").alua().state());
        assertNoneFailed();
    }

    @Test
    void explicitModeActivatesAStandbyGroupWhenNoActiveOneIsLeft() throws Exception {
        open(3, AluaMode.EXPLICIT, true);
        target.setGroupState(1, AluaState.STANDBY);
        reads(10); // served: no EIO although no group was active
        boolean one = target.logicalUnit().portState(1) == AluaState.ACTIVE_OPTIMIZED;
        boolean two = target.logicalUnit().portState(3) == AluaState.ACTIVE_OPTIMIZED;
        assertTrue(one ^ two, "SET TARGET PORT GROUPS made exactly one group active/optimized");
        assertNoneFailed();
    }

    @Test
    void aFailedPathInAStandbyGroupComesBackAsAGhost() throws Exception {
        open(1, AluaMode.IMPLICIT, true);
        dev.failPath(dev.find("sim:4"), "test");
        new PathChecker(dev).checkAll();
        assertEquals(PathState.ACTIVE, dev.find("sim:4").state(), "standby answers: not down");
        assertEquals(AluaState.STANDBY, dev.find("sim:4").alua().state());
    }

    @Test
    void withoutAluaNothingChanges() throws Exception {
        open(0, AluaMode.IMPLICIT, false);
        reads(40);
        assertEquals(10, io("sim:4"));
        assertNull(dev.find("sim:1").alua());
        assertEquals("sim:1 active registered=no io=10 errors=0 inflight=0", PathsControl.line(dev.find("sim:1")));
        assertEquals("", dev.alua().describe(dev.paths()));
    }
}
