package io.mpathfs.backends.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PR IN data: encode and decode, byte layouts per SPC-4, truncated buffers. */
class PrDataTest {
    @Test
    void readKeys() {
        ReadKeysData d = new ReadKeysData(5, List.of(0xaL, 0xaL, 0xbL));
        byte[] b = d.encode();
        assertEquals("00000005" + "00000018" + "000000000000000a000000000000000a000000000000000b",
                HexFormat.of().formatHex(b));
        assertEquals(d, ReadKeysData.decode(b));
        assertEquals(2, d.count(0xa));
        ReadKeysData cut = ReadKeysData.decode(Arrays.copyOf(b, 20));
        assertTrue(cut.truncated());
        assertEquals(List.of(0xaL), cut.keys());
        assertFalse(ReadKeysData.decode(Arrays.copyOf(b, 64)).truncated()); // trailing zeros ignored
        assertThrows(IllegalArgumentException.class, () -> ReadKeysData.decode(new byte[7]));
    }

    @Test
    void readReservation() {
        ReadReservationData d = ReadReservationData.of(3, 0xabc, PrType.EXCLUSIVE_ACCESS_REG_ONLY);
        byte[] b = d.encode();
        assertEquals(24, b.length);
        assertEquals(16, b[7]);
        assertEquals(0x06, b[21]);
        assertEquals(d, ReadReservationData.decode(b));
        assertEquals(Optional.of(PrType.EXCLUSIVE_ACCESS_REG_ONLY), d.type());
        ReadReservationData none = ReadReservationData.none(9);
        assertEquals(8, none.encode().length);
        assertFalse(ReadReservationData.decode(Arrays.copyOf(none.encode(), 24)).reserved());
        assertEquals("none", none.describe());
        assertThrows(IllegalArgumentException.class, () -> ReadReservationData.decode(Arrays.copyOf(b, 12)));
    }

    @Test
    void capabilities() {
        CapabilitiesData c = new CapabilitiesData(false, false, true, true, true, 1, true, EnumSet.allOf(PrType.class));
        byte[] b = c.encode();
        // LIO reports 00 08 1d 91 ea 01 (with CRH and SIP_C); ours has neither: 05 91 ea 01.
        assertEquals("0008059" + "1ea01" + "0000", HexFormat.of().formatHex(b));
        assertEquals(c, CapabilitiesData.decode(b));
        CapabilitiesData lio = CapabilitiesData.decode(HexFormat.of().parseHex("00081d91ea010000"));
        assertTrue(lio.crh() && lio.sipC() && lio.atpC() && lio.ptplC() && lio.ptplA());
        assertEquals(EnumSet.allOf(PrType.class), lio.types());
        assertEquals(EnumSet.of(PrType.WRITE_EXCLUSIVE), CapabilitiesData.decode(
                HexFormat.of().parseHex("0008000002000000")).types());
    }

    @Test
    void fullStatus() {
        byte[] tidA = TransportId.iscsi("iqn.2024-01.io.mpathfs:host-a");
        byte[] tidB = TransportId.sas(0x5001405000000abcL);
        FullStatusData d = new FullStatusData(7, List.of(
                new FullStatusData.Descriptor(0xa, false, true, 0, 3, 1, tidA),
                new FullStatusData.Descriptor(0xb, true, false, 0, 0, 0, tidB)));
        byte[] b = d.encode();
        int first = 24 + tidA.length;
        assertEquals(first + 24 + 24, ((b[6] & 0xff) << 8) | (b[7] & 0xff));
        assertEquals(0x01, b[8 + 12]); // R_HOLDER
        assertEquals(0x03, b[8 + 13]); // type
        assertEquals(1, b[8 + 19]); // relative target port
        assertEquals(0x02, b[8 + first + 12]); // ALL_TG_PT
        FullStatusData back = FullStatusData.decode(b);
        assertEquals(d, back);
        assertEquals(Optional.of(PrType.EXCLUSIVE_ACCESS), back.descriptors().get(0).type());
        assertEquals(Optional.empty(), back.descriptors().get(1).type());
        FullStatusData cut = FullStatusData.decode(Arrays.copyOf(b, 8 + first + 10));
        assertTrue(cut.truncated());
        assertEquals(1, cut.descriptors().size());
        assertThrows(IllegalArgumentException.class, () -> FullStatusData.decode(new byte[3]));
    }

    @Test
    void transportIds() {
        byte[] i = TransportId.forInitiator("iqn.2024-01.io.mpathfs:host-a");
        assertEquals(TransportId.PROTOCOL_ISCSI, i[0]);
        assertEquals(0, (i.length - 4) % 4);
        assertEquals("iqn.2024-01.io.mpathfs:host-a", TransportId.describe(i));
        byte[] shortName = TransportId.iscsi("iqn.x");
        assertEquals(24, shortName.length); // at least 20 bytes of name field
        byte[] s = TransportId.forInitiator("naa.5001405000000a0b");
        assertEquals(24, s.length);
        assertEquals(TransportId.PROTOCOL_SAS, s[0]);
        assertEquals("naa.5001405000000a0b", TransportId.describe(s));
        assertTrue(TransportId.isSasName("NAA.5001405000000A0B"));
        assertFalse(TransportId.isSasName("naa.5001405000000a0")); // 15 digits
        assertArrayEquals(s, TransportId.sas(0x5001405000000a0bL));
        assertEquals("(none)", TransportId.describe(new byte[2]));
    }
}
