package io.mpathfs.control.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PR IN answers as mpathpersist prints them, line for line: fence agents parse these. */
class PrFormatTest {
    private static final int EA_RO = PrType.EXCLUSIVE_ACCESS_REG_ONLY.scsiCode();

    @Test
    void keysCountAndListAsMpathpersistDoes() {
        assertEquals("  PR generation=0x0, \t0 registered reservation key.\n",
                PrFormat.keys(new ReadKeysData(0, List.of(), false)));
        assertEquals("  PR generation=0x3, \t1 registered reservation key follows:\n    0xa\n",
                PrFormat.keys(new ReadKeysData(3, List.of(0xaL), false)));
        assertEquals("  PR generation=0x11, \t2 registered reservation keys follow:\n    0xa\n    0xb\n",
                PrFormat.keys(new ReadKeysData(0x11, List.of(0xaL, 0xbL), false)));
    }

    @Test
    void aReservationNamesKeyScopeAndTypeAndNoneSaysSo() {
        assertEquals("  PR generation=0x2, there is NO reservation held \n",
                PrFormat.reservation(new ReadReservationData(2, false, 0, 0, 0)));
        assertEquals("  PR generation=0x4, Reservation follows:\n   Key = 0xa\n  scope = LU_SCOPE, type = "
                        + PrType.describeScsiCode(EA_RO) + "\n",
                PrFormat.reservation(new ReadReservationData(4, true, 0xa, 0, EA_RO)));
    }

    @Test
    void fullStatusShowsEachRegistrantPortAndHolder() {
        byte[] iscsi = new byte[24];
        iscsi[0] = 0x05; // iSCSI, format 00b
        byte[] name = "iqn.b".getBytes(StandardCharsets.UTF_8);
        iscsi[3] = 20;
        System.arraycopy(name, 0, iscsi, 4, name.length);
        FullStatusData d = new FullStatusData(7, List.of(
                new FullStatusData.Descriptor(0xa, false, true, 0, EA_RO, 2, iscsi),
                new FullStatusData.Descriptor(0xb, true, false, 0, 0, 0, iscsi)), false);
        assertEquals("  PR generation=0x7 \n"
                + "   Key = 0xa\n      All target ports bit clear\n      Relative port address: 0x2\n"
                + "      << Reservation holder >>\n      scope: LU_SCOPE,  type: " + PrType.describeScsiCode(EA_RO)
                + "\n   iqn.b\n"
                + "   Key = 0xb\n      All target ports bit set\n      not reservation holder\n   iqn.b\n",
                PrFormat.fullStatus(d));
    }

    @Test
    void capabilitiesListTheFiveBits() {
        CapabilitiesData c = new CapabilitiesData(false, true, true, true, true, 0, false, Set.of());
        assertEquals("Report capabilities response:\n"
                + "  Compatible Reservation Handling(CRH): 0\n"
                + "  Specify Initiator Ports Capable(SIP_C): 1\n"
                + "  All Target Ports Capable(ATP_C): 1\n"
                + "  Persist Through Power Loss Capable(PTPL_C): 1\n"
                + "  Type Mask Valid(TMV): 1\n", PrFormat.capabilities(c));
    }
}
