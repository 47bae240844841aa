package io.mpathfs.control.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.NexusId;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathChecker;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.control.testsupport.HookedPath;
import io.mpathfs.control.testsupport.InterposedSimPath;
import io.mpathfs.control.testsupport.TwoHosts;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's hard cases, numbered by the sections below, each with two hosts: ours through the
 * multipath device, host B on its own nexus. Every test checks what the application sees and what
 * the target holds per I_T nexus.
 */
class PrCoordinatorTest {
    static final long A = 0xa, B = 0xb;

    // ---- 1. register everywhere; partial failure undone; down paths registered on return

    @Test
    void registerReachesEveryPathAndTheFirstCommandUnitAttentionIsRetried() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) { // every fresh nexus answers its first command with 29/00
            h.assertOk(h.ours("-c register -k 0xa"));
            for (int i = 0; i < 4; i++) {
                assertEquals(A, h.keyOn(i), "registered on " + h.pathName(i));
            }
            assertEquals(0, h.io(true, 0));
            assertTrue(Files.readString(h.keys).contains("0xa"), "key persisted");
            h.assertOk(h.ours("-c register -K 0xa -k 0"));
            assertEquals(0, h.ourRegistrations(A));
            assertFalse(Files.readString(h.keys).contains("0xa"), "unregister persisted");
        }
    }

    @Test
    void partialRegistrationIsUndoneAndTheDevicesAnswerReturned() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            // Drift: A3's nexus already carries another key (left by someone using it directly).
            h.target.path(2).nexus().execute(PrOut.registerAndIgnore(5, false, false).cdb(),
                    Direction.TO_DEVICE,
                    PrOut.registerAndIgnore(5, false, false).params(), 1000);
            h.target.path(2).nexus().execute(PrOut.registerAndIgnore(5, false, false).cdb(),
                    Direction.TO_DEVICE,
                    PrOut.registerAndIgnore(5, false, false).params(), 1000);
            PrResult r = h.ours("-c register -k 0xa");
            assertEquals(Errno.EBADE, r.errno(), r.text());
            assertEquals(0, h.ourRegistrations(A), "the paths that took the key gave it back");
            assertEquals(5, h.keyOn(2));
            assertEquals(0, h.pr.key());
        }
    }

    @Test
    void aPathDownAtRegisterIsRegisteredBeforeItCarriesIoAndUnregisteredKeysAreCleanedOnReturn() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.offline(1, true);
            h.device.adminFail(h.pathName(1));
            h.assertOk(h.ours("-c register -k 0xa"));
            assertEquals(0, h.keyOn(1), "down path not registered yet");
            assertEquals(3, h.ourRegistrations(A));
            h.offline(1, false);
            h.device.adminReinstate(h.pathName(1));
            assertEquals(A, h.keyOn(1), "registered on return, before being ACTIVE");
            assertEquals(Registration.YES, h.device.find(h.pathName(1)).registration());
            // Unregister while a path is down: its key is removed when it comes back.
            h.offline(3, true);
            h.device.adminFail(h.pathName(3));
            h.assertOk(h.ours("-c register -K 0xa -k 0"));
            assertEquals(A, h.keyOn(3), "the down path still holds the old key on the target");
            h.offline(3, false);
            h.device.adminReinstate(h.pathName(3));
            assertEquals(0, h.ourRegistrations(A), "stale key removed on return");
        }
    }

    @Test
    void aKeyChangeWhileAGroupIsUnavailableReachesItsNexusesWhenItAnswersBeforeTheirIo() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.target.movePort(3, 2);
            h.target.movePort(4, 2);
            h.target.setGroupState(2, AluaState.UNAVAILABLE); // its ports answer PR with NOT READY 04/0C
            PrResult r = h.ours("-c register -K 0xa -k 0xc");
            h.assertOk(r);
            assertEquals(0xc, h.keyOn(0));
            assertEquals(0xc, h.keyOn(1));
            assertEquals(A, h.keyOn(2), "an unavailable nexus cannot be changed: it keeps the old key");
            assertEquals(PathState.FAILED, h.device.find(h.pathName(2)).state(), "handled as a down path");
            assertEquals(PathState.FAILED, h.device.find(h.pathName(3)).state());
            h.assertOk(h.ours("-c reserve -k 0xc -t exclusive-access-reg-only"));
            h.target.setGroupState(2, AluaState.ACTIVE_OPTIMIZED);
            h.target.setGroupState(0, AluaState.STANDBY); // ports 1 and 2: only group 2 carries IO now
            new PathChecker(h.device).checkAll();
            assertEquals(PathState.ACTIVE, h.device.find(h.pathName(2)).state(), h.device.find(h.pathName(2)).lastError());
            assertEquals(0xc, h.keyOn(2), "registered with the new key when it answered, before its IO");
            assertEquals(0xc, h.keyOn(3));
            assertEquals(0, h.ourRegistrations(A), "no stale key left");
            assertEquals(0, h.io(true, 0), "IO through group 2 under the registrants-only reservation");
        }
    }

    @Test
    void aCommandThatNeedsOnePathAsksAPortThatTakesPrNotATransitioningOne() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.target.movePort(1, 2); // the device's first paths
            h.target.movePort(2, 2);
            h.target.setGroupState(2, AluaState.TRANSITIONING);
            h.device.discoverAlua();
            PrResult keys = h.ours("-c read-keys");
            h.assertOk(keys);
            assertTrue(keys.text().contains("0xa"), keys.text());
            assertEquals(PathState.ACTIVE, h.device.find(h.pathName(0)).state(),
                    "a group in transition is not a dead path: " + h.device.find(h.pathName(0)).lastError());
            assertEquals(PathState.ACTIVE, h.device.find(h.pathName(1)).state());
        }
    }

    @Test
    void aPreemptionCheckDoesNotAskAHolderWhoseGroupIsTransitioning() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.device.discoverAlua();
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            assertTrue(h.pr.status().contains("holder " + h.pathName(0) + "\n"), "reserved through the first path: "
                    + h.pr.status());
            h.target.movePort(1, 2);
            h.target.movePort(2, 2);
            h.target.setGroupState(2, AluaState.TRANSITIONING);
            new PathChecker(h.device).checkAll(); // the holder's nexus reports the move: a preemption check
            h.assertOk(h.ours("-c read-keys")); // runs after the check (one PR executor)
            assertEquals(PathState.ACTIVE, h.device.find(h.pathName(0)).state(),
                    "the holder in transition is not a dead path: " + h.device.find(h.pathName(0)).lastError());
        }
    }

    // ---- 2. returning path after a preempt: unregistered again, device PREEMPTED

    @Test
    void aPathReturningAfterAForeignPreemptIsNotLeftRegistered() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            h.offline(3, true);
            h.device.adminFail(h.pathName(3));
            h.assertOk(h.ours("-c read-keys")); // nothing pending on the live paths yet
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            assertTrue(h.hostB(1, PrOut.preempt(B, A, PrType.EXCLUSIVE_ACCESS_REG_ONLY)).isGood());
            assertEquals(0, h.ourRegistrations(A));
            h.offline(3, false);
            h.device.adminReinstate(h.pathName(3)); // the first thing to happen on our side
            assertEquals(0, h.ourRegistrations(A), "our key is not resurrected by the returning path");
            assertTrue(h.pr.preempted());
            assertEquals(0, h.pr.key());
            assertNull(h.pr.holding());
            assertEquals(Errno.EBADE, h.io(false, 0), "IO conflicts as on the single device");
            for (PathEntry p : h.device.paths()) {
                assertEquals(PathState.ACTIVE, p.state(), "a conflict fails no path");
            }
        }
    }

    /**
     * A returning path looks (our key on the other path), a foreign preempt removes our key, the
     * path's REGISTER makes it the only nexus with our key, and it goes away before its re-count:
     * the count through another path must tell that the other nexuses lost the key, although our
     * key is still on the LU (the departed path's) as often as we think it registered elsewhere.
     */
    @Test
    void aReturningPathThatDiesAfterItsRegisterDuringAForeignPreemptDoesNotKeepOurKeyAlive() throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(2).build());
        boolean[] armed = {false};
        try (TwoHosts h = new TwoHosts(t, p -> !p.name().equals("sim:2") ? p : new InterposedSimPath(p) {
            @Override
            protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
                    throws PathException {
                boolean hit = armed[0] && (cdb[0] & 0xff) == 0x5f;
                if (hit) {
                    armed[0] = false;
                    try {
                        assertTrue(t.nexus("B", 1).execute(PrOut.preempt(B, A, PrType.WRITE_EXCLUSIVE).cdb(),
                                Direction.TO_DEVICE, PrOut.preempt(B, A, PrType.WRITE_EXCLUSIVE).params(), 1000).isGood());
                    } catch (PathException e) {
                        throw new IllegalStateException(e);
                    }
                }
                ScsiResult r = real.execute(cdb, dir, data, timeoutMs);
                if (hit) {
                    t.path(1).nexus().setOnline(false); // gone before the look after its REGISTER
                }
                return r;
            }
        })) {
            h.offline(1, true);
            h.device.adminFail(h.pathName(1));
            h.assertOk(h.ours("-c register -k 0xa"));
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            assertEquals(1, h.ourRegistrations(A), "path 2 was down: only path 1 carries our key");
            armed[0] = true;
            h.offline(1, false);
            assertThrows(PathException.class, () -> h.device.adminReinstate(h.pathName(1)));
            assertFalse(armed[0], "the foreign preempt came between the look and the REGISTER");
            assertEquals(A, h.keyOn(1), "the departed path's REGISTER took effect");
            assertEquals(0, h.keyOn(0));
            assertTrue(h.pr.preempted(), "preempted: our other nexus lost the key");
            assertEquals(0, h.pr.key());
            // When it answers again, the path's stale key is removed, as one device has none for us.
            h.offline(1, false);
            h.device.adminReinstate(h.pathName(1));
            assertEquals(0, h.ourRegistrations(A));
            assertEquals(0, h.pr.key());
        }
    }

    /**
     * As above, but no path is left to re-count: the returning path's registration, made just
     * after a foreign preempt, is the only one of our key, and the next returning path must not
     * take it for our key surviving.
     */
    @Test
    void aRegistrationNoPathCouldReCountIsNotTakenForOurKeySurviving() throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(2).build());
        boolean[] armed = {false};
        try (TwoHosts h = new TwoHosts(t, p -> !p.name().equals("sim:2") ? p : new InterposedSimPath(p) {
            @Override
            protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
                    throws PathException {
                boolean hit = armed[0] && (cdb[0] & 0xff) == 0x5f;
                if (hit) {
                    armed[0] = false;
                    assertTrue(t.nexus("B", 1).execute(PrOut.preempt(B, A, PrType.WRITE_EXCLUSIVE).cdb(),
                            Direction.TO_DEVICE, PrOut.preempt(B, A, PrType.WRITE_EXCLUSIVE).params(), 1000).isGood());
                }
                ScsiResult r = real.execute(cdb, dir, data, timeoutMs);
                if (hit) {
                    t.path(0).nexus().setOnline(false); // every path gone before the re-count
                    t.path(1).nexus().setOnline(false);
                }
                return r;
            }
        })) {
            h.offline(1, true);
            h.device.adminFail(h.pathName(1));
            h.assertOk(h.ours("-c register -k 0xa"));
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            armed[0] = true;
            h.offline(1, false);
            assertThrows(PathException.class, () -> h.device.adminReinstate(h.pathName(1)));
            assertEquals(A, h.keyOn(1), "the departed path's REGISTER took effect after the preempt");
            assertEquals(0, h.keyOn(0));
            h.offline(0, false);
            h.device.adminFail(h.pathName(0));
            h.device.adminReinstate(h.pathName(0));
            assertTrue(h.pr.preempted(), "the first path back finds our key preempted");
            assertEquals(0, h.pr.key());
            assertEquals(0, h.keyOn(0));
            h.offline(1, false);
            h.device.adminReinstate(h.pathName(1));
            assertEquals(0, h.ourRegistrations(A), "and the other one's key is removed when it returns");
        }
    }

    // ---- 3. continuous preemption detection

    @Test
    void aForeignPreemptIsDetectedFromTheUnitAttentionOnTheNextIo() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t write-exclusive-reg-only"));
            assertEquals(0, h.io(true, 0));
            assertTrue(h.hostB(2, PrOut.register(0, B, true, false)).isGood());
            assertTrue(h.hostB(2, PrOut.preempt(B, A, PrType.WRITE_EXCLUSIVE_REG_ONLY)).isGood());
            int rc = h.io(true, 4096); // gets 2A/05 (retried), then the conflict
            assertEquals(Errno.EBADE, rc);
            TwoHosts.await(h.pr::preempted, "preemption detected");
            assertEquals(0, h.pr.key());
            assertNull(h.pr.holding());
            assertFalse(Files.readString(h.keys).contains("0xa"), "keys file updated");
            for (PathEntry p : h.device.paths()) {
                assertEquals(Registration.NO, p.registration());
            }
            assertEquals(0, h.io(false, 0), "reads still allowed under write-exclusive-reg-only");
            // Nothing re-registers by itself: a path returning now stays unregistered.
            h.device.adminFail(h.pathName(1));
            h.device.adminReinstate(h.pathName(1));
            assertEquals(0, h.ourRegistrations(A));
        }
    }

    // ---- 4. type change with IO suspended; a foreign preempt in the window never resurrects our key

    @Test
    void typeChangeByPreemptingOurOwnKeyKeepsEveryPathRegistered() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            h.assertOk(h.ours("-c preempt -K 0xa -k 0xa -t write-exclusive-reg-only"));
            assertEquals(PrType.WRITE_EXCLUSIVE_REG_ONLY, h.snap().type());
            assertEquals(4, h.ourRegistrations(A), "every other path re-registered");
            assertEquals(PrType.WRITE_EXCLUSIVE_REG_ONLY, h.pr.holding().type());
            for (int i = 0; i < 8; i++) {
                assertEquals(0, h.io(true, i * 4096L), "IO through every path after the change");
            }
            assertFalse(h.device.gate().suspended());
        }
    }

    @Test
    void aForeignPreemptDuringReRegistrationLeavesOurKeyGone() throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).build());
        List<HookedPath> hooked = new ArrayList<>();
        try (TwoHosts h = new TwoHosts(t, p -> {
            HookedPath x = new HookedPath(p);
            hooked.add(x);
            return x;
        })) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            // Host B preempts us right after our self-preempt, before we re-register the others.
            for (HookedPath p : hooked) {
                p.when = cdb -> HookedPath.isPrOut(cdb, 6);
                p.hook = () -> {
                    try {
                        h.hostB(1, PrOut.preempt(B, A, PrType.EXCLUSIVE_ACCESS_REG_ONLY));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    for (HookedPath q : hooked) {
                        q.when = c -> false;
                    }
                };
            }
            h.ours("-c preempt -K 0xa -k 0xa -t write-exclusive-reg-only");
            assertEquals(0, h.ourRegistrations(A), "no registration of ours survives the foreign preempt");
            assertTrue(h.pr.preempted());
            assertEquals(B, h.snap().registrations().get(0).key());
            assertFalse(h.device.gate().suspended(), "IO resumed");
        }
    }

    // ---- 5. release with the holder path down

    @Test
    void releaseWithTheHolderPathDownMovesTheReservationThenReleases() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t write-exclusive-reg-only"));
            String holder = h.pr.holding().holder().name();
            NexusId holderNexus = h.snap().holder();
            int hi = Integer.parseInt(holder.substring(4)) - 1; // sim:N is path index N - 1
            h.offline(hi, true);
            h.device.adminFail(holder);
            h.assertOk(h.ours("-c release -k 0xa -t write-exclusive-reg-only"));
            assertNull(h.snap().type(), "reservation released on the target");
            assertNull(h.pr.holding());
            assertEquals(3, h.ourRegistrations(A), "live paths registered; the dead one lost it to the move");
            assertNotEquals(null, holderNexus);
            h.offline(hi, false);
            h.device.adminReinstate(holder);
            assertEquals(4, h.ourRegistrations(A), "re-registered when it came back");
        }
    }

    /**
     * RESERVE of the type we hold, its holder path down: sent through another nexus of ours, it
     * meets a conflict (that nexus is not the holder), and that path dies right after its answer.
     * Another path reads the reservation back: ours, so one device's holder gets GOOD.
     */
    @Test
    void aReserveWhoseConflictingPathDiesRightAfterIsAnsweredFromAnotherPath() throws Exception {
        SimTarget t = SimTarget.create(SimConfig.builder().capacityBytes(16L << 20).targetPorts(4).build());
        String[] dieAfterReserve = {null};
        try (TwoHosts h = new TwoHosts(t, p -> new InterposedSimPath(p) {
            @Override
            protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
                    throws PathException {
                ScsiResult r = real.execute(cdb, dir, data, timeoutMs);
                if (p.name().equals(dieAfterReserve[0]) && (cdb[0] & 0xff) == 0x5f && (cdb[1] & 0x1f) == 1) {
                    dieAfterReserve[0] = null;
                    p.nexus().setOnline(false);
                }
                return r;
            }
        })) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            String holder = h.pr.holding().holder().name();
            int hi = Integer.parseInt(holder.substring(4)) - 1; // sim:N is path index N - 1
            h.offline(hi, true);
            h.device.adminFail(holder);
            String next = h.pathName(hi == 0 ? 1 : 0);
            dieAfterReserve[0] = next;
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            assertNull(dieAfterReserve[0], "the RESERVE went through " + next + ", which died after its answer");
            assertEquals(PrType.EXCLUSIVE_ACCESS_REG_ONLY, h.snap().type());
            assertEquals(A, h.pr.key());
        }
    }

    // ---- 6. WE/EA: IO only through the holder; holder failure moves the reservation

    @Test
    void exclusiveAccessRoutesIoToTheHolderAndSurvivesItsFailure() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access"));
            for (int i = 0; i < 40; i++) {
                assertEquals(0, h.io(i % 2 == 0, i * 4096L), "IO " + i + " through the holder only");
            }
            String holder = h.pr.holding().holder().name();
            int hi = Integer.parseInt(holder.substring(4)) - 1; // sim:N is path index N - 1
            h.offline(hi, true); // the holder path dies under IO
            for (int i = 0; i < 40; i++) {
                assertEquals(0, h.io(i % 2 == 0, i * 4096L), "IO " + i + " after the holder died");
            }
            assertEquals(PathState.FAILED, h.device.find(holder).state());
            assertNotEquals(holder, h.pr.holding().holder().name(), "reservation moved");
            assertEquals(PrType.EXCLUSIVE_ACCESS, h.snap().type());
            assertEquals(h.pr.holding().holder().name(),
                    h.target.paths().stream().filter(p -> p.nexus().id().equals(h.snap().holder())).findFirst()
                            .orElseThrow().name(), "target's holder nexus is the path we route to");
        }
    }

    @Test
    void writeExclusiveSendsWritesToTheHolderAndReadsAnywhere() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t write-exclusive"));
            String holder = h.pr.holding().holder().name();
            long before = h.device.find(holder).ioCount();
            for (int i = 0; i < 20; i++) {
                assertEquals(0, h.io(true, i * 4096L));
            }
            assertEquals(before + 20, h.device.find(holder).ioCount(), "every write via the holder");
            for (int i = 0; i < 20; i++) {
                assertEquals(0, h.io(false, i * 4096L));
            }
            long others = h.device.paths().stream().filter(p -> !p.name().equals(holder)).mapToLong(PathEntry::ioCount).sum();
            assertTrue(others >= 10, "reads spread over the other paths too: " + others);
        }
    }

    // ---- 7. CLEAR, PREEMPT and PREEMPT AND ABORT of another key

    @Test
    void preemptingAnotherHostTakesTheReservationAndClearRemovesEverything() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            assertTrue(h.hostB(1, PrOut.reserve(B, PrType.EXCLUSIVE_ACCESS_REG_ONLY)).isGood());
            assertEquals(Errno.EBADE, h.ours("-c reserve -k 0xa -t exclusive-access-reg-only").errno());
            h.assertOk(h.ours("-c preempt-abort -K 0xa -k 0xb -t exclusive-access-reg-only"));
            assertEquals(PrType.EXCLUSIVE_ACCESS_REG_ONLY, h.snap().type());
            assertEquals(A, h.snap().registration(h.snap().holder()).orElseThrow().key());
            assertEquals(PrType.EXCLUSIVE_ACCESS_REG_ONLY, h.pr.holding().type());
            assertEquals(4, h.ourRegistrations(A));
            assertEquals(0, h.io(true, 0));
            h.assertOk(h.ours("-c clear -k 0xa"));
            assertTrue(h.snap().registrations().isEmpty());
            assertNull(h.snap().type());
            assertEquals(0, h.pr.key());
            assertEquals(0, h.io(true, 0), "no reservation: IO allowed");
        }
    }

    @Test
    void preemptWithSarkZeroUnderAllRegistrantsKeepsEveryPathOfOursRegistered() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            h.assertOk(h.ours("-c reserve -k 0xa -t write-exclusive-all-regs"));
            preemptAllButOursWithSarkZero(h);
        }
    }

    /**
     * The same under another host's all-registrants reservation, which we hold by registering
     * under it — no command of ours told the coordinator that we hold it.
     */
    @Test
    void preemptWithSarkZeroUnderAnotherHostsAllRegistrantsReservationKeepsEveryPathOfOursRegistered() throws Exception {
        try (TwoHosts h = new TwoHosts(4)) {
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            assertTrue(h.hostB(1, PrOut.reserve(B, PrType.WRITE_EXCLUSIVE_ALL_REGS)).isGood());
            h.assertOk(h.ours("-c register -k 0xa"));
            preemptAllButOursWithSarkZero(h);
        }
    }

    /**
     * Our PREEMPT with SARK 0 under an all-registrants reservation, then the preemption check the
     * 2A/05 on our other nexuses queues: one device keeps its one nexus registered and holds the
     * new reservation, host B's registration gone, IO served.
     */
    private static void preemptAllButOursWithSarkZero(TwoHosts h) throws Exception {
        h.assertOk(h.ours("-c preempt -K 0xa -k 0 -t exclusive-access"));
        // The target sent 2A/05 to every nexus the PREEMPT unregistered, our other paths' too;
        // the preemption check one of them queues runs right after the command.
        h.pr.lifecycle().unitAttention(h.device.find(h.pathName(1)), 0x2a, 0x05);
        h.assertOk(h.ours("-c read-keys")); // queued behind the check
        assertFalse(h.pr.preempted(), "our own preempt is not taken for a foreign one");
        assertEquals(A, h.pr.key());
        assertEquals(4, h.ourRegistrations(A), "every path of ours registered, as the one nexus of one device");
        assertEquals(4, h.snap().registrations().size(), "host B's registration is gone");
        assertEquals(PrType.EXCLUSIVE_ACCESS, h.snap().type());
        assertEquals(PrType.EXCLUSIVE_ACCESS, h.pr.holding().type());
        assertEquals(0, h.io(true, 0));
        assertEquals(0, h.io(false, 0));
    }

    // ---- 8. ambiguous failures, wrong keys

    @Test
    void wrongKeysAndTypesAnswerAsTheDeviceDoesAndChangeNothing() throws Exception {
        try (TwoHosts h = new TwoHosts(2)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            assertEquals(Errno.EBADE, h.ours("-c register -K 0x7 -k 0xc").errno(), "wrong old key");
            assertEquals(A, h.pr.key());
            assertEquals(2, h.ourRegistrations(A));
            assertEquals(Errno.EBADE, h.ours("-c reserve -k 0x7 -t exclusive-access").errno(), "wrong key");
            assertNull(h.snap().type());
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access"));
            PrResult wrongType = h.ours("-c release -k 0xa -t write-exclusive");
            assertFalse(wrongType.isOk(), "release with the wrong type: " + wrongType.text());
            assertEquals(PrType.EXCLUSIVE_ACCESS, h.snap().type(), "still reserved");
        }
    }

    @Test
    void restartReLearnsTheKeyFromTheKeysFileAndVerifiesIt() throws Exception {
        try (TwoHosts h = new TwoHosts(2)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            PrCoordinator again = new PrCoordinator(h.device, new KeysFile(h.keys), true);
            again.start();
            assertEquals(A, again.key(), "re-learnt");
            again.close();
            h.assertOk(h.ours("-c register -K 0xa -k 0"));
            Files.writeString(h.keys, h.device.identity() + " 0xa\n"); // stale: the device has no such key
            PrCoordinator third = new PrCoordinator(h.device, new KeysFile(h.keys), true);
            third.start();
            assertEquals(0, third.key(), "a stale key is not trusted");
            assertTrue(third.preempted());
            third.close();
            h.device.setLifecycle(h.pr.lifecycle());
        }
    }

    // ---- restart: the new daemon over new handles to the same nexuses, the LU's PR state kept

    @Test
    void aRestartWhoseFirstLookMeetsADyingPathServesIoThroughRegisteredPathsOnly() throws Exception {
        try (TwoHosts h = new TwoHosts(3)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            h.assertOk(h.ours("-c reserve -k 0xa -t exclusive-access-reg-only"));
            h.pr.close();
            try (Restarted r = new Restarted(h, (cdb, n) -> n == 0 && (cdb[0] & 0xff) == 0x5e,
                    () -> h.offline(0, true))) {
                assertEquals(A, r.pr.key(), "the key from the keys file, still on the LU");
                for (PathEntry p : r.device.paths()) {
                    assertTrue(!p.usable() || p.registration() == Registration.YES,
                            p.name() + " may carry IO but is registered=" + p.registration().label());
                }
                assertEquals(0, r.io(), "one device, registered, serves the read");
                assertEquals(3, h.ourRegistrations(A), "nothing changed on the LU");
            }
        }
    }

    @Test
    void aForeignPreemptRightAfterTheStartsFirstLookIsNeverUndone() throws Exception {
        try (TwoHosts h = new TwoHosts(3)) {
            h.assertOk(h.ours("-c register -k 0xa"));
            assertTrue(h.hostB(1, PrOut.register(0, B, true, false)).isGood());
            h.pr.close();
            try (Restarted r = new Restarted(h, (cdb, n) -> n == 1, () -> {
                try {
                    h.hostB(1, PrOut.preempt(B, A, PrType.WRITE_EXCLUSIVE));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            })) {
                assertEquals(0, h.ourRegistrations(A), "our key is not registered again after the preempt");
                assertTrue(r.pr.preempted());
                assertEquals(0, r.pr.key());
            }
        }
    }

    /**
     * A new daemon over h's LU: new handles on h's nexuses, the same keys file. hook runs once,
     * just before the first of the start's commands that when accepts (with how many PR IN
     * commands were sent before it).
     */
    private static final class Restarted implements AutoCloseable {
        final MultipathDevice device;
        final PrCoordinator pr;
        private final AlignedBuffer buf = AlignedBuffer.allocate(4096);

        Restarted(TwoHosts h, BiPredicate<byte[], Integer> when, Runnable hook) throws Exception {
            int[] prIns = {0};
            boolean[] fired = {false};
            List<DevicePath> ps = new ArrayList<>();
            for (SimPath p : h.target.paths()) {
                ps.add(new InterposedSimPath(p.reopen()) {
                    @Override
                    protected ScsiResult interpose(ScsiChannel real,
                            byte[] cdb, Direction dir, byte[] data, int timeoutMs)
                            throws PathException {
                        if (!fired[0] && when.test(cdb, prIns[0])) {
                            fired[0] = true;
                            hook.run();
                        }
                        if ((cdb[0] & 0xff) == 0x5e) {
                            prIns[0]++;
                        }
                        return real.execute(cdb, dir, data, timeoutMs);
                    }
                });
            }
            device = new MultipathDevice("t2", ps, new io.mpathfs.control.DeviceConfig("round-robin",
                    java.time.Duration.ofMillis(50), io.mpathfs.control.NoPathRetry.FAIL));
            pr = new PrCoordinator(device, new KeysFile(h.keys), true);
            pr.start();
            assertTrue(fired[0], "the start met the moment the test is about");
        }

        int io() {
            try {
                device.read(0, buf, 4096);
                return 0;
            } catch (io.mpathfs.control.DeviceIoException e) {
                return e.errno();
            }
        }

        @Override
        public void close() {
            pr.close();
            buf.close();
            device.close();
        }
    }
}
