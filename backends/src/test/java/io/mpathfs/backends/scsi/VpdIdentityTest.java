package io.mpathfs.backends.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VpdIdentityTest {
    private static byte[] page(String designatorsHex) {
        byte[] d = HexFormat.of().parseHex(designatorsHex);
        byte[] p = new byte[4 + d.length];
        p[1] = (byte) 0x83;
        p[2] = (byte) (d.length >> 8);
        p[3] = (byte) d.length;
        System.arraycopy(d, 0, p, 4, d.length);
        return p;
    }

    @Test
    void prefersTheLuNaaDesignator() {
        // T10 vendor id first, then a target-port NAA (ignored), then the LU's NAA.
        byte[] p = page("02010008" + "4d50415448465320"
                + "01930008" + "5001405000000001"
                + "01030010" + "6001405AB0000000000000000000000F");
        assertEquals(Optional.of("naa.6001405ab0000000000000000000000f"), VpdIdentity.fromDeviceIdentification(p));
    }

    @Test
    void fallsBackInOrder() {
        assertEquals(Optional.of("eui.0011223344556677"), VpdIdentity.fromDeviceIdentification(
                page("02010004" + "41424344" + "01020008" + "0011223344556677")));
        assertEquals(Optional.of("t10.ABCD"), VpdIdentity.fromDeviceIdentification(page("02010004" + "41424344")));
        assertEquals(Optional.empty(), VpdIdentity.fromDeviceIdentification(page("")));
    }

    @Test
    void relativeTargetPort() {
        assertEquals(Optional.of(3), VpdIdentity.relativeTargetPort(page("51940004" + "00000003")));
        assertEquals(Optional.empty(), VpdIdentity.relativeTargetPort(page("01030010" + "00".repeat(16))));
    }

    @Test
    void malformedPagesGiveNothing() {
        assertEquals(Optional.empty(), VpdIdentity.fromDeviceIdentification(null));
        assertEquals(Optional.empty(), VpdIdentity.fromDeviceIdentification(new byte[3]));
        assertEquals(Optional.empty(), VpdIdentity.fromDeviceIdentification(new byte[] {0, (byte) 0x80, 0, 0}));
        byte[] cut = page("01030010" + "6001405AB0000000000000000000000F");
        assertEquals(Optional.empty(), VpdIdentity.fromDeviceIdentification(Arrays.copyOf(cut, 12)));
        byte[] lying = page("010300ff" + "60");
        assertEquals(Optional.empty(), VpdIdentity.fromDeviceIdentification(lying));
    }

    @Test
    void unitSerial() {
        byte[] p = {0, (byte) 0x80, 0, 6, 'a', 'b', 'c', ' ', 0, 0};
        assertEquals(Optional.of("abc"), VpdIdentity.fromUnitSerial(p));
        assertTrue(VpdIdentity.fromUnitSerial(new byte[] {0, (byte) 0x80, 0, 0}).isEmpty());
        assertTrue(VpdIdentity.fromUnitSerial(new byte[] {0, (byte) 0x83, 0, 1, 'x'}).isEmpty());
    }
}
