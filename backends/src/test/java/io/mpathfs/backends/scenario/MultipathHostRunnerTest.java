package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.pr.PrType;
import io.mpathfs.nativeshim.Errno;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parts of the mpathfs-as-host-A runner that need no mount: applicability, answer matching, text parsing. */
class MultipathHostRunnerTest {
    static Scenario parse(String text) throws Exception {
        return ScenarioParser.parse("t", text);
    }

    @Test
    void aScenarioUsingTwoOfHostAsNexusesDoesNotApply() throws Exception {
        Scenario two = parse("title: x\nA1 register sark=0xa\nA2 write lba=0 => RESERVATION_CONFLICT\n");
        assertTrue(MultipathHostRunner.notApplicable(two).orElseThrow().contains("A1, A2"));
        Scenario status = parse("title: x\nA1 register sark=0xa\nstatus A2 none via B1\n");
        assertTrue(MultipathHostRunner.notApplicable(status).isPresent());
        Scenario aptpl = parse("title: x\nA1 register sark=0xa aptpl\n");
        assertTrue(MultipathHostRunner.notApplicable(aptpl).orElseThrow().contains("APTPL"));
        Scenario one = parse("title: x\nobserver: A4\nA1 register sark=0xa\nB1 register sark=0xb\nkeys 0xa 0xb\n");
        assertEquals(Optional.empty(), MultipathHostRunner.notApplicable(one));
    }

    @Test
    void answersMatchByErrnoAndTheDevicesSenseInTheReason() throws Exception {
        MountedHost.Outcome ok = new MountedHost.Outcome(0, "ok");
        MountedHost.Outcome conflict = new MountedHost.Outcome(Errno.EBADE, "error: reservation conflict");
        MountedHost.Outcome refused = new MountedHost.Outcome(Errno.EINVAL,
                "error: reserve: CHECK CONDITION Illegal Request 24/00");
        MountedHost.Outcome local = new MountedHost.Outcome(Errno.EINVAL, "error: unknown type '2'");
        Expectation illegal = Expectation.parse("CHECK_CONDITION ILLEGAL_REQUEST 24/00");
        assertTrue(MultipathHostRunner.matches(Expectation.GOOD, ok));
        assertFalse(MultipathHostRunner.matches(Expectation.GOOD, conflict));
        assertTrue(MultipathHostRunner.matches(Expectation.parse("RESERVATION_CONFLICT"), conflict));
        assertFalse(MultipathHostRunner.matches(Expectation.parse("RESERVATION_CONFLICT"), refused));
        assertTrue(MultipathHostRunner.matches(illegal, refused));
        assertTrue(MultipathHostRunner.matches(illegal, local));
        assertFalse(MultipathHostRunner.matches(Expectation.parse("CHECK_CONDITION ILLEGAL_REQUEST 26/00"), refused));
        assertFalse(MultipathHostRunner.matches(illegal, new MountedHost.Outcome(Errno.EIO, "")));
    }

    @Test
    void fullStatusAndReservationTextParseBack() {
        String full = "  PR generation=0x7 \n"
                + "   Key = 0xa\n      All target ports bit clear\n      Relative port address: 0x2\n"
                + "      << Reservation holder >>\n      scope: LU_SCOPE,  type: Write Exclusive, registrants only\n"
                + "   iqn.2003-01.org.linux-iscsi.host-a\n"
                + "   Key = 0xb\n      All target ports bit set\n      not reservation holder\n"
                + "   naa.6001405000000001\n";
        List<PrText.Registration> r = PrText.fullStatus(full);
        assertEquals(List.of(
                new PrText.Registration(0xa, false, 2, true, PrType.WRITE_EXCLUSIVE_REG_ONLY.scsiCode(),
                        "iqn.2003-01.org.linux-iscsi.host-a"),
                new PrText.Registration(0xb, true, 0, false, 0, "naa.6001405000000001")), r);
        String held = "  PR generation=0x7, Reservation follows:\n   Key = 0xa\n  scope = LU_SCOPE, type = Write Exclusive\n";
        assertEquals(Optional.of(new PrText.Held(0xa, PrType.WRITE_EXCLUSIVE.scsiCode())), PrText.reservation(held));
        assertEquals(Optional.empty(), PrText.reservation("  PR generation=0x7, there is NO reservation held \n"));
    }
}
