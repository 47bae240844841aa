package io.mpathfs.backends.sim;

import io.mpathfs.backends.pr.TransportId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * INQUIRY data of the simulated LU, laid out as LIO lays out its own (target_core_spc.c): standard
 * data of 96 bytes, and VPD pages 0x00, 0x80 and 0x83 — the last with an NAA IEEE Registered
 * Extended designator for the LU (company id, then the serial's hex digits), a T10 vendor id, and
 * per target port the relative target port identifier and the port's SCSI name string.
 */
final class InquiryData {
    static final int[] VPD_PAGES = {0x00, 0x80, 0x83};

    private InquiryData() {
    }

    static byte[] standard(SimConfig c, boolean multiPort, int tpgs) {
        byte[] b = new byte[96];
        b[0] = 0x00; // direct access block device
        b[2] = 0x06; // SPC-4
        b[3] = 0x02; // response data format 2
        b[4] = 91; // additional length
        b[5] = (byte) ((tpgs & 0x3) << 4); // TPGS: asymmetric access, implicit and/or explicit
        b[6] = (byte) (multiPort ? 0x10 : 0); // MULTIP
        b[7] = 0x02; // CMDQUE
        ascii(b, 8, 8, c.vendor());
        ascii(b, 16, 16, c.product());
        ascii(b, 32, 4, c.revision());
        putShort(b, 58, 0x00a0); // SAM-5
        putShort(b, 60, c.transport() == SimConfig.Transport.SAS ? 0x0c60 : 0x0960); // SAS-3 / iSCSI
        putShort(b, 62, 0x0460); // SPC-4
        putShort(b, 64, 0x04c0); // SBC-3
        return b;
    }

    static byte[] supportedPages() {
        byte[] b = new byte[4 + VPD_PAGES.length];
        b[3] = (byte) VPD_PAGES.length;
        for (int i = 0; i < VPD_PAGES.length; i++) {
            b[4 + i] = (byte) VPD_PAGES[i];
        }
        return b;
    }

    /** LIO counts the terminating NUL in the page length; so do we. */
    static byte[] unitSerial(String serial) {
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[4 + s.length + 1];
        b[1] = (byte) 0x80;
        b[3] = (byte) (s.length + 1);
        System.arraycopy(s, 0, b, 4, s.length);
        return b;
    }

    /** NAA 6: 4 bits NAA, 24 bits company id, then 100 bits from the serial's hex digits. */
    static byte[] naa(SimConfig c) {
        StringBuilder nibbles = new StringBuilder("6").append(String.format("%06x", c.companyId()));
        for (char ch : c.unitSerial().toCharArray()) {
            if (nibbles.length() == 32) {
                break;
            }
            if (Character.digit(ch, 16) >= 0) {
                nibbles.append(Character.toLowerCase(ch));
            }
        }
        while (nibbles.length() < 32) {
            nibbles.append('0');
        }
        return HexFormat.of().parseHex(nibbles);
    }

    /** @param portGroup the port's target port group, or -1 when the LU has no ALUA */
    static byte[] deviceIdentification(SimConfig c, TargetPort port, int portGroup) {
        int protocol = c.transport() == SimConfig.Transport.SAS ? TransportId.PROTOCOL_SAS : TransportId.PROTOCOL_ISCSI;
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        // LU: NAA, binary.
        designator(d, 0x01, 0x03, naa(c));
        // LU: T10 vendor id "VENDOR  PRODUCT:SERIAL", ASCII.
        byte[] vendor = new byte[8];
        ascii(vendor, 0, 8, c.vendor());
        byte[] rest = (c.product() + ":" + c.unitSerial()).getBytes(StandardCharsets.US_ASCII);
        byte[] t10 = new byte[8 + rest.length];
        System.arraycopy(vendor, 0, t10, 0, 8);
        System.arraycopy(rest, 0, t10, 8, rest.length);
        designator(d, 0x02, 0x01, t10);
        // Target port (PIV=1, association 01b): relative target port identifier.
        byte[] rtpi = new byte[4];
        putShort(rtpi, 2, port.relativeId());
        designator(d, (protocol << 4) | 0x01, 0x80 | 0x10 | 0x04, rtpi);
        if (portGroup >= 0) {
            // Target port: its target port group (ALUA), where LIO puts it.
            byte[] tpg = new byte[4];
            putShort(tpg, 2, portGroup);
            designator(d, (protocol << 4) | 0x01, 0x80 | 0x10 | 0x05, tpg);
        }
        // Target port: SCSI name string "<port name>,t,0x<tpgt>", NUL-padded to a multiple of 4.
        byte[] name = String.format("%s,t,0x%04x", port.name(), 1).getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[Math.min(256, (name.length + 1 + 3) & ~3)];
        System.arraycopy(name, 0, padded, 0, Math.min(name.length, padded.length - 1));
        designator(d, (protocol << 4) | 0x03, 0x80 | 0x10 | 0x08, padded);
        byte[] body = d.toByteArray();
        byte[] page = new byte[4 + body.length];
        page[1] = (byte) 0x83;
        putShort(page, 2, body.length);
        System.arraycopy(body, 0, page, 4, body.length);
        return page;
    }

    private static void designator(ByteArrayOutputStream out, int b0, int b1, byte[] value) {
        out.write(b0);
        out.write(b1);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static void ascii(byte[] b, int off, int len, String s) {
        for (int i = 0; i < len; i++) {
            b[off + i] = (byte) (i < s.length() ? s.charAt(i) : ' ');
        }
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }
}
