package io.mpathfs.control.pr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.NoPathRetry;
import io.mpathfs.control.PathChecker;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.control.testsupport.TwoHosts;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PR over target port groups: a nexus whose group refuses PR (unavailable, transitioning) is down
 * for PR — our commands go on without it, and it is brought in line before it carries IO again.
 */
class AluaPrTest {
    static final long A = 0xa, C = 0xc;

    /** Four paths, ports 1-2 in group 1 and 3-4 in group 2, both active/optimized; the device knows the groups. */
    private static TwoHosts twoGroups() throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).build());
        t.setGroupState(1, AluaState.ACTIVE_OPTIMIZED);
        t.setGroupState(2, AluaState.ACTIVE_OPTIMIZED);
        for (int p = 1; p <= 4; p++) {
            t.movePort(p, p <= 2 ? 1 : 2);
        }
        TwoHosts h = new TwoHosts(t, null);
        h.device.discoverAlua();
        return h;
    }

    @Test
    void aKeyChangeWhileAGroupIsUnavailableGoesOnWithoutItAndItsPathsAreRegisteredBeforeTheyCarryIo() throws Exception {
        try (TwoHosts h = twoGroups(); PathChecker checker = new PathChecker(h.device)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            assertEquals(4, h.ourRegistrations(A));
            h.target.setGroupState(2, AluaState.UNAVAILABLE);

            // One device takes the key change; ports 3 and 4 refuse it (NOT READY 04/0C), as dead
            // paths would: they keep the old key on the LU until they can be brought in line.
            h.assertOk(h.ours("-c register -K 0xa -k 0xc"));
            assertEquals(C, h.pr.key());
            assertEquals(C, h.keyOn(0));
            assertEquals(C, h.keyOn(1));
            assertEquals(A, h.keyOn(2), "an unavailable port's registration cannot change");
            for (String name : new String[] {h.pathName(2), h.pathName(3)}) {
                PathEntry p = h.device.find(name);
                assertEquals(PathState.FAILED, p.state(), name + " is down for PR");
                assertFalse(p.usable());
            }
            checker.checkAll();
            assertEquals(PathState.FAILED, h.device.find(h.pathName(2)).state(), "still unavailable: not reinstated");
            assertEquals(0, h.io(false, 0));

            // The group comes back: each path is registered with the current key before it is
            // reinstated, and so before it carries IO.
            h.target.setGroupState(2, AluaState.ACTIVE_OPTIMIZED);
            checker.checkAll();
            for (int i = 0; i < 4; i++) {
                PathEntry p = h.device.find(h.pathName(i));
                assertEquals(PathState.ACTIVE, p.state(), p.name() + ": " + p.lastError());
                assertEquals(Registration.YES, p.registration(), p.name());
                assertEquals(C, h.keyOn(i), p.name() + " carries the current key on the LU");
            }
            assertEquals(4, h.ourRegistrations(C));
            for (int i = 0; i < 8; i++) {
                assertEquals(0, h.io(true, 4096L * i), "IO through every path, the returned ones too");
            }
        }
    }

    @Test
    void anUnregisterWhileAGroupIsTransitioningLeavesNoKeyBehindOnceItSettles() throws Exception {
        try (TwoHosts h = twoGroups(); PathChecker checker = new PathChecker(h.device)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.target.setGroupState(2, AluaState.TRANSITIONING);
            h.assertOk(h.ours("-c register -K 0xa -k 0"));
            assertEquals(0, h.pr.key());
            assertEquals(2, h.ourRegistrations(A), "ports 3 and 4 refused PR (04/0A) and kept the key");
            h.target.setGroupState(2, AluaState.STANDBY);
            checker.checkAll();
            assertEquals(0, h.ourRegistrations(A), "the stale keys are removed when the ports take PR again");
            for (int i = 0; i < 4; i++) {
                assertTrue(h.device.find(h.pathName(i)).usable(), h.pathName(i));
            }
        }
    }

    /**
     * The array swaps the groups while our daemon is down, leaving the exclusive-access holder in
     * the standby one: the new daemon learns the holder at start and moves the reservation to the
     * active group, as for a dead holder path, before its IO (which only the holder may carry).
     */
    @Test
    void aStartThatFindsTheHolderInAStandbyGroupMovesItBeforeIo() throws Exception {
        try (TwoHosts h = twoGroups(); AlignedBuffer buf = AlignedBuffer.allocate(4096)) {
            h.target.setGroupState(2, AluaState.STANDBY);
            h.device.refreshAlua();
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access"));
            assertEquals(1, h.snap().holder().targetPort(), "the holder is the first path of the active group");
            h.target.setGroupState(1, AluaState.STANDBY);
            h.target.setGroupState(2, AluaState.ACTIVE_OPTIMIZED);
            List<DevicePath> ps = new ArrayList<>();
            for (SimPath p : h.target.paths()) {
                ps.add(p.reopen());
            }
            MultipathDevice again = new MultipathDevice("t2", ps, new DeviceConfig("round-robin", Duration.ofMillis(50),
                    NoPathRetry.FAIL));
            again.discoverAlua();
            try (PrCoordinator pr = new PrCoordinator(again, new KeysFile(h.keys), true)) {
                pr.start();
                assertEquals(A, pr.key());
                try {
                    again.write(0, buf, 4096);
                } catch (DeviceIoException e) {
                    throw new AssertionError("the write must wait for the move, not fail: " + e.getMessage(), e);
                }
                assertEquals(PrType.EXCLUSIVE_ACCESS, h.snap().type());
                assertTrue(h.snap().holder().targetPort() >= 3, "moved to the active group: " + h.snap().holder());
                assertEquals(4, h.ourRegistrations(A));
            } finally {
                again.close();
            }
        }
    }

    /**
     * A group change while we hold an exclusive-access reservation whose holder nexus is not
     * known (learnt at start without one): the holder moves as for a dead one — the group change
     * must not fail on the unknown holder (it runs inside the device's group refresh, on an IO or
     * checker thread).
     */
    @Test
    void aGroupChangeWithTheHolderNotKnownQueuesTheMove() throws Exception {
        try (TwoHosts h = twoGroups(); PrExecution exec = PrExecution.threads("t")) {
            PrState state = new PrState(h.device, new KeysFile(h.keys), true);
            PathCommand cmd = new PathCommand((p, asc, ascq) -> { });
            PathRegistrar ops = new PathRegistrar(h.device, state, cmd, new FanOut(exec.fanout()));
            HoldingReader holding = new HoldingReader(h.device, state, cmd, ops);
            PreemptionWatch watch = new PreemptionWatch(h.device, state, ops, holding, exec);
            ReservationMoves moves = new ReservationMoves(h.device, state, ops, holding, cmd, exec, watch);
            PrPathHooks hooks = new PrPathHooks(state, ops, holding, watch, moves, exec);
            state.restoredKey(A);
            state.held(new Holding(PrType.EXCLUSIVE_ACCESS, null));
            PathEntry p = h.device.find(h.pathName(2));
            h.target.setGroupState(2, AluaState.STANDBY);
            h.device.refreshAlua();
            assertEquals(AluaState.STANDBY, p.alua().state());
            assertDoesNotThrow(() -> hooks.pathGroupChanged(p));
        }
    }
}
