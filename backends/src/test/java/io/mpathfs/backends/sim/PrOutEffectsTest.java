package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.SenseKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What each PERSISTENT RESERVE OUT service action does to the LU: registrations, reservation,
 * PRgeneration and unit attentions, read from the target's own snapshot (so nothing is disturbed).
 * Every command's status, sense key and ASC/ASCQ is asserted.
 */
class PrOutEffectsTest {
    /** "A1=0xa A2=0xa B1=0xb+att": registrations by nexus, "+att" for ALL_TG_PT ones. */
    private static String regs(Sim s) {
        PrSnapshot p = s.t.prSnapshot();
        return p.registrations().stream()
                .map(e -> s.t.shortName(e.nexus()) + "=0x" + Long.toHexString(e.key()) + (e.allTgPt() ? "+att" : ""))
                .sorted().collect(Collectors.joining(" "));
    }

    /** "A1 exclusive-access" (LIO's holder registration) or "none". */
    private static String reservation(Sim s) {
        PrSnapshot p = s.t.prSnapshot();
        return p.type() == null ? "none" : s.t.shortName(p.holder()) + " " + p.type().blkprName();
    }

    /** {B1=[2a/05]} for every nexus with something pending. */
    private static String uas(Sim s) {
        Map<String, String> m = new TreeMap<>();
        s.t.prSnapshot().pendingUnitAttentions().forEach((n, l) -> m.put(s.t.shortName(n), String.join(",", l)));
        return m.toString();
    }

    private static void state(Sim s, String regs, String reservation, int generation, String uas) {
        assertEquals(regs, regs(s), "registrations");
        assertEquals(reservation, reservation(s), "reservation");
        assertEquals(generation, s.t.prSnapshot().generation(), "PRgeneration");
        assertEquals(uas, uas(s), "pending unit attentions");
    }

    @Test
    void register() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("A2", 0, 0xa));
            state(s, "A1=0xa A2=0xa", "none", 2, "{}");
            Sim.expectConflict(s.register("A1", 0xb, 0xc));
            Sim.expectConflict(s.register("B1", 0x1, 0x2));
            Sim.expectGood(s.register("A1", 0xa, 0xa1));
            state(s, "A1=0xa1 A2=0xa", "none", 3, "{}");
            Sim.expectGood(s.register("B1", 0, 0)); // unregistered, SARK 0: nothing
            state(s, "A1=0xa1 A2=0xa", "none", 3, "{}");
            Sim.expectGood(s.register("A1", 0xa1, 0)); // unregister: LIO does not count it
            state(s, "A2=0xa", "none", 3, "{}");
        }
    }

    @Test
    void registerAndIgnoreExistingKey() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.out("A1", PrOut.registerAndIgnore(0xb, false, false)));
            Sim.expectGood(s.out("B1", PrOut.registerAndIgnore(0xc, false, false)));
            state(s, "A1=0xb B1=0xc", "none", 3, "{}");
            Sim.expectGood(s.out("A1", PrOut.registerAndIgnore(0, false, false)));
            state(s, "B1=0xc", "none", 3, "{}");
        }
    }

    @Test
    void registerAllTargetPorts() {
        try (Sim s = Sim.clean(3)) {
            Sim.expectGood(s.out("A2", PrOut.register(0, 0xa, false, true)));
            state(s, "A1=0xa+att A2=0xa+att A3=0xa+att", "none", 3, "{}");
            Sim.expectSense(s.register("A1", 0xa, 0), SenseKey.ILLEGAL_REQUEST, 0x24, 0x00);
            Sim.expectGood(s.out("A3", PrOut.register(0xa, 0xd, false, true)));
            state(s, "A1=0xa+att A2=0xa+att A3=0xd+att", "none", 4, "{}");
            Sim.expectGood(s.out("A1", PrOut.register(0xa, 0, false, true)));
            state(s, "A3=0xd+att", "none", 4, "{}");
        }
    }

    @Test
    void reserve() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectSense(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS), SenseKey.NOT_READY, 0x08, 0x00);
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectConflict(s.reserve("A1", 0xb, PrType.EXCLUSIVE_ACCESS));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS));
            state(s, "A1=0xa B1=0xb", "A1 exclusive-access", 2, "{}");
            Sim.expectGood(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS));
            Sim.expectConflict(s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE));
            Sim.expectConflict(s.reserve("B1", 0xb, PrType.EXCLUSIVE_ACCESS));
            Sim.expectSense(s.out("A1", PrOut.raw(1, 2, 0xa, 0, false, false)), SenseKey.ILLEGAL_REQUEST, 0x24, 0);
            state(s, "A1=0xa B1=0xb", "A1 exclusive-access", 2, "{}");
        }
    }

    @Test
    void release() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("A2", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS_REG_ONLY));
            Sim.expectConflict(s.out("A1", PrOut.release(0xa, PrType.EXCLUSIVE_ACCESS))); // LIO: not 26/04
            Sim.expectConflict(s.out("A1", PrOut.release(0xb, PrType.EXCLUSIVE_ACCESS_REG_ONLY)));
            Sim.expectGood(s.out("B1", PrOut.release(0xdead, PrType.EXCLUSIVE_ACCESS_REG_ONLY))); // non-holder
            state(s, "A1=0xa A2=0xa B1=0xb", "A1 exclusive-access-reg-only", 3, "{}");
            Sim.expectGood(s.out("A1", PrOut.release(0xa, PrType.EXCLUSIVE_ACCESS_REG_ONLY)));
            state(s, "A1=0xa A2=0xa B1=0xb", "none", 3, "{A2=2a/04, B1=2a/04}");
        }
    }

    @Test
    void releaseOfSingleHolderTypeGivesNoUnitAttention() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE));
            Sim.expectGood(s.out("A1", PrOut.release(0xa, PrType.WRITE_EXCLUSIVE)));
            state(s, "A1=0xa B1=0xb", "none", 2, "{}");
        }
    }

    @Test
    void clear() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("A2", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("B1", 0xb, PrType.EXCLUSIVE_ACCESS));
            Sim.expectConflict(s.out("A1", PrOut.clear(0xb)));
            Sim.expectConflict(s.out("B2", PrOut.clear(0xb))); // unregistered, under a reservation
            Sim.expectGood(s.out("A1", PrOut.clear(0xa)));
            state(s, "", "none", 4, "{A2=2a/03, B1=2a/03}");
        }
    }

    @Test
    void preemptWithoutReservation() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.register("B2", 0, 0xb));
            Sim.expectSense(s.out("A1", PrOut.preempt(0xa, 0, PrType.EXCLUSIVE_ACCESS)), SenseKey.ILLEGAL_REQUEST,
                    0x26, 0);
            Sim.expectConflict(s.out("A1", PrOut.preempt(0xa, 0xc, PrType.EXCLUSIVE_ACCESS)));
            Sim.expectConflict(s.out("A2", PrOut.preempt(0, 0xb, PrType.EXCLUSIVE_ACCESS)));
            Sim.expectGood(s.out("A1", PrOut.preempt(0xa, 0xb, PrType.EXCLUSIVE_ACCESS)));
            state(s, "A1=0xa", "none", 4, "{B1=2a/05, B2=2a/05}");
        }
    }

    @Test
    void preemptTheHolder() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("A2", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("B1", 0xb, PrType.WRITE_EXCLUSIVE));
            Sim.expectGood(s.out("A1", PrOut.preempt(0xa, 0xb, PrType.EXCLUSIVE_ACCESS)));
            // Type changed: A2 (kept its registration) hears RESERVATIONS RELEASED.
            state(s, "A1=0xa A2=0xa", "A1 exclusive-access", 4, "{A2=2a/04, B1=2a/05}");
        }
    }

    @Test
    void preemptOwnKeyChangesTypeAndDropsOtherPaths() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("A2", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE));
            Sim.expectGood(s.out("A1", PrOut.preempt(0xa, 0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY)));
            state(s, "A1=0xa B1=0xb", "A1 write-exclusive-reg-only", 4, "{A2=2a/05, B1=2a/04}");
        }
    }

    @Test
    void preemptAllRegistrants() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.register("B2", 0, 0xc));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS_ALL_REGS));
            Sim.expectGood(s.out("B2", PrOut.preempt(0xc, 0xb, PrType.WRITE_EXCLUSIVE)));
            state(s, "A1=0xa B2=0xc", "A1 exclusive-access-all-regs", 4, "{B1=2a/05}");
            Sim.expectGood(s.out("B2", PrOut.preempt(0xc, 0, PrType.WRITE_EXCLUSIVE)));
            state(s, "B2=0xc", "B2 write-exclusive", 5, "{A1=2a/05, B1=2a/05}");
        }
    }

    @Test
    void preemptAndAbortHasPreemptsEffects() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("B1", 0xb, PrType.EXCLUSIVE_ACCESS));
            Sim.expectGood(s.out("A1", PrOut.preemptAndAbort(0xa, 0xb, PrType.EXCLUSIVE_ACCESS)));
            state(s, "A1=0xa", "A1 exclusive-access", 3, "{B1=2a/05}");
        }
    }

    @Test
    void unregisteringTheHolder() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.EXCLUSIVE_ACCESS_ALL_REGS));
            Sim.expectGood(s.register("A1", 0xa, 0));
            state(s, "B1=0xb", "B1 exclusive-access-all-regs", 2, "{}");
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0xb, 0));
            state(s, "A1=0xa", "A1 exclusive-access-all-regs", 3, "{}");
            Sim.expectGood(s.register("A1", 0xa, 0));
            state(s, "", "none", 3, "{}");
        }
    }

    @Test
    void registerAndMoveIsRefused() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE));
            Sim.expectSense(s.out("A1", PrOut.raw(7, 0, 0xa, 0xb, false, false)), SenseKey.ILLEGAL_REQUEST, 0x24, 0);
            // From a non-holder the reservation check answers first, as in LIO.
            Sim.expectConflict(s.out("B1", PrOut.raw(7, 0, 0, 0xb, false, false)));
            state(s, "A1=0xa", "A1 write-exclusive", 1, "{}");
        }
    }

    /** LIO: an unknown service action from a non-holder is a conflict; only the holder learns it is invalid. */
    @Test
    void unknownServiceActionUnderAReservation() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY));
            Sim.expectSense(s.out("A1", PrOut.raw(8, 0, 0xa, 0, false, false)), SenseKey.ILLEGAL_REQUEST, 0x24, 0);
            Sim.expectConflict(s.out("B1", PrOut.raw(8, 0, 0xb, 0, false, false)));
            Sim.expectConflict(s.out("B2", PrOut.raw(0x1f, 0, 0, 0, false, false)));
            Sim.expectGood(s.out("A1", PrOut.release(0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY)));
            Sim.expectUa(s.tur("B1"), 0x2a, 0x04);
            // Without a reservation there is no conflict check: everyone hears it is invalid.
            Sim.expectSense(s.out("B2", PrOut.raw(0x1f, 0, 0, 0, false, false)), SenseKey.ILLEGAL_REQUEST, 0x24, 0);
        }
    }
}
