package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.Sense;
import io.mpathfs.backends.scsi.SenseKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit attentions: per I_T nexus, reported once, with LIO's ordering and clear-all rule. */
class UnitAttentionTest {
    @Test
    void everyNewNexusStartsWithPowerOn() {
        try (Sim s = new Sim(2)) {
            for (String n : List.of("A1", "A2", "B1", "C2")) {
                Sim.expectUa(s.tur(n), 0x29, 0x00);
                Sim.expectGood(s.tur(n));
            }
        }
    }

    @Test
    void inquiryAndReportLunsNeitherReportNorClear() {
        try (Sim s = new Sim(1)) {
            Sim.expectGood(s.run("A1", Cdb.inquiry(false, 0, 96), Direction.FROM_DEVICE, new byte[96]));
            byte[] rl = new byte[12];
            rl[0] = (byte) Cdb.REPORT_LUNS;
            Cdb.putInt(rl, 6, 16);
            Sim.expectGood(s.run("A1", rl, Direction.FROM_DEVICE, new byte[16]));
            Sim.expectUa(s.run("A1", Cdb.readCapacity16(32), Direction.FROM_DEVICE, new byte[32]), 0x29, 0);
        }
    }

    @Test
    void requestSenseReturnsAndClearsIt() {
        try (Sim s = new Sim(1)) {
            byte[] sense = new byte[18];
            ScsiResult r = s.run("A1", new byte[] {0x03, 0, 0, 0, 18, 0}, Direction.FROM_DEVICE, sense);
            Sim.expectGood(r);
            assertEquals(SenseKey.UNIT_ATTENTION, Sense.senseKey(sense));
            assertEquals(0x29, Sense.asc(sense));
            r = s.run("A1", new byte[] {0x03, 0, 0, 0, 18, 0}, Direction.FROM_DEVICE, sense);
            Sim.expectGood(r);
            assertEquals(SenseKey.NO_SENSE, Sense.senseKey(sense));
            Sim.expectGood(s.tur("A1"));
        }
    }

    /** LIO: the head is reported and every pending condition of that nexus is cleared. */
    @Test
    void reportingClearsAllPending() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("A1", 0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY));
            Sim.expectGood(s.out("A1", PrOut.release(0xa, PrType.WRITE_EXCLUSIVE_REG_ONLY)));
            Sim.expectGood(s.out("A1", PrOut.clear(0xa)));
            NexusId b1 = s.t.nexus("B1").id();
            assertEquals(List.of("2a/04", "2a/03"), s.t.prSnapshot().pending(b1));
            Sim.expectUa(s.read("B1", 0, 1), 0x2a, 0x04);
            Sim.expectGood(s.read("B1", 0, 1));
        }
    }

    @Test
    void powerCycleQueuesPowerOnAheadOfReservationFamily() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.out("A1", PrOut.preempt(0xa, 0xb, PrType.WRITE_EXCLUSIVE)));
            s.t.powerCycle();
            NexusId b1 = s.t.nexus("B1").id();
            assertEquals(List.of("29/00", "2a/05"), s.t.prSnapshot().pending(b1));
            Sim.expectUa(s.tur("B1"), 0x29, 0x00);
            Sim.expectGood(s.tur("B1"));
            Sim.expectUa(s.tur("C2"), 0x29, 0x00);
            // Without APTPL nothing survived the power cycle.
            assertTrue(s.t.prSnapshot().registrations().isEmpty());
            assertEquals(0, s.t.prSnapshot().generation());
        }
    }

    @Test
    void queueRules() {
        UnitAttentions u = new UnitAttentions();
        NexusId n = new NexusId("i", 1);
        u.establish(n, 0x2a, 0x05);
        u.establish(n, 0x2a, 0x05); // never twice
        u.establish(n, 0x2a, 0x04);
        assertEquals("[29/00, 2a/05, 2a/04]", u.pending(n).toString()); // attach gave 29/00 first
        assertEquals("29/00", u.report(n).orElseThrow().toString());
        assertTrue(u.report(n).isEmpty());
        u.establish(n, 0x2a, 0x03);
        u.establish(n, 0x29, 0x00); // power on overtakes a 2A head
        u.establish(n, 0x29, 0x02); // a higher 29/xx overtakes a 29 head
        assertEquals("[29/02, 29/00, 2a/03]", u.pending(n).toString());
        assertTrue(u.hasPending(n));
    }

    @Test
    void unitAttentionComesBeforeTheReservationCheck() {
        try (Sim s = Sim.clean(2)) {
            Sim.expectGood(s.register("A1", 0, 0xa));
            Sim.expectGood(s.register("B1", 0, 0xb));
            Sim.expectGood(s.reserve("B1", 0xb, PrType.EXCLUSIVE_ACCESS));
            Sim.expectGood(s.out("B1", PrOut.preempt(0xb, 0xa, PrType.EXCLUSIVE_ACCESS)));
            Sim.expectUa(s.write("A1", 0, 1), 0x2a, 0x05);
            Sim.expectConflict(s.write("A1", 0, 1));
        }
    }
}
