package io.mpathfs.backends.scsi.device;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The logical unit's name from INQUIRY VPD pages, chosen as udev's scsi_id / multipath do: from
 * page 0x83 a designator associated with the LU (not a port or target), preferring NAA (type 3),
 * then EUI-64 (2), then SCSI name string (8), then T10 vendor id (1); else the page 0x80 serial.
 * Form: "naa.&lt;hex&gt;", "eui.&lt;hex&gt;", "name.&lt;string&gt;", "t10.&lt;ascii&gt;", "serial.&lt;ascii&gt;" — the same
 * string the embedded target gives, so the two compare.
 */
public final class LuIdentity {
    private LuIdentity() {
    }

    /** Parses a VPD 0x83 page; empty when it holds no LU designator we use. Never throws on garbage. */
    public static Optional<String> fromDeviceIdentification(byte[] page) {
        if (page == null || page.length < 4 || (page[1] & 0xff) != 0x83) {
            return Optional.empty();
        }
        int end = Math.min(page.length, 4 + (((page[2] & 0xff) << 8) | (page[3] & 0xff)));
        String[] best = new String[4]; // by preference: naa, eui, name, t10
        int off = 4;
        while (off + 4 <= end) {
            int codeSet = page[off] & 0x0f;
            int association = (page[off + 1] >> 4) & 0x03;
            int type = page[off + 1] & 0x0f;
            int len = page[off + 3] & 0xff;
            int start = off + 4;
            if (start + len > end) {
                break; // truncated descriptor
            }
            if (association == 0) { // associated with the logical unit
                switch (type) {
                    case 3 -> best[0] = best[0] != null ? best[0] : "naa." + hex(page, start, len);
                    case 2 -> best[1] = best[1] != null ? best[1] : "eui." + hex(page, start, len);
                    case 8 -> best[2] = best[2] != null ? best[2] : "name." + text(page, start, len);
                    case 1 -> best[3] = best[3] != null ? best[3]
                            : "t10." + (codeSet == 1 ? hex(page, start, len) : text(page, start, len));
                    default -> { }
                }
            }
            off = start + len;
        }
        for (String s : best) {
            if (s != null && s.length() > 4) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Parses a VPD 0x80 page (unit serial number). */
    public static Optional<String> fromUnitSerial(byte[] page) {
        if (page == null || page.length < 4 || (page[1] & 0xff) != 0x80) {
            return Optional.empty();
        }
        int len = Math.min(page.length - 4, ((page[2] & 0xff) << 8) | (page[3] & 0xff));
        String s = text(page, 4, len);
        return s.isEmpty() ? Optional.empty() : Optional.of("serial." + s);
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.US_ASCII).replace("\0", "").strip();
    }
}
