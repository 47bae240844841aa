package io.mpathfs.backends.scsi;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The logical unit's identity from INQUIRY VPD pages, in the string form Linux shows in
 * /sys/block/sdX/device/wwid (scsi_vpd_lun_id): "naa." + lower-case hex for an NAA designator,
 * "eui." + hex for EUI-64, "t10." + text for a T10 vendor id, the name itself for a SCSI name
 * string. Only designators associated with the logical unit count (not those of the target port).
 * Preference: NAA, EUI-64, SCSI name string, T10 vendor id. Every path implementation (SG_IO and
 * the embedded target) uses this so the same LU gives the same string.
 */
public final class VpdIdentity {
    public static final int PAGE_SUPPORTED = 0x00, PAGE_UNIT_SERIAL = 0x80, PAGE_DEVICE_ID = 0x83;
    static final int TYPE_T10 = 1, TYPE_EUI64 = 2, TYPE_NAA = 3, TYPE_RELATIVE_PORT = 4, TYPE_PORT_GROUP = 5,
            TYPE_SCSI_NAME = 8;

    private VpdIdentity() {
    }

    /** From a Device Identification page (0x83), or empty when it has no LU designator we know. */
    public static Optional<String> fromDeviceIdentification(byte[] page) {
        String[] best = new String[4]; // by preference rank
        forEachDesignator(page, (assoc, type, codeSet, d, off, len) -> {
            if (assoc != 0) {
                return;
            }
            switch (type) {
                case TYPE_NAA -> best[0] = best[0] != null ? best[0] : "naa." + HexFormat.of().formatHex(d, off, off + len);
                case TYPE_EUI64 -> best[1] = best[1] != null ? best[1] : "eui." + HexFormat.of().formatHex(d, off, off + len);
                case TYPE_SCSI_NAME -> best[2] = best[2] != null ? best[2] : text(d, off, len);
                case TYPE_T10 -> best[3] = best[3] != null ? best[3] : "t10." + text(d, off, len);
                default -> {
                }
            }
        });
        for (String s : best) {
            if (s != null && !s.isEmpty()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The RELATIVE TARGET PORT IDENTIFIER of the port the page was read through, if reported. */
    public static Optional<Integer> relativeTargetPort(byte[] page) {
        int[] rtpi = {-1};
        forEachDesignator(page, (assoc, type, codeSet, d, off, len) -> {
            if (assoc == 1 && type == TYPE_RELATIVE_PORT && len >= 4 && rtpi[0] < 0) {
                rtpi[0] = ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
            }
        });
        return rtpi[0] < 0 ? Optional.empty() : Optional.of(rtpi[0]);
    }

    /** The TARGET PORT GROUP of the port the page was read through, if reported (ALUA). */
    public static Optional<Integer> targetPortGroup(byte[] page) {
        int[] tpg = {-1};
        forEachDesignator(page, (assoc, type, codeSet, d, off, len) -> {
            if (assoc == 1 && type == TYPE_PORT_GROUP && len >= 4 && tpg[0] < 0) {
                tpg[0] = ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
            }
        });
        return tpg[0] < 0 ? Optional.empty() : Optional.of(tpg[0]);
    }

    /** The unit serial number from page 0x80, trimmed of spaces and NULs. */
    public static Optional<String> fromUnitSerial(byte[] page) {
        if (page == null || page.length < 4 || (page[1] & 0xff) != PAGE_UNIT_SERIAL) {
            return Optional.empty();
        }
        int len = Math.min(page.length - 4, ((page[2] & 0xff) << 8) | (page[3] & 0xff));
        String s = text(page, 4, len).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private interface DesignatorVisitor {
        void visit(int association, int type, int codeSet, byte[] data, int off, int len);
    }

    private static void forEachDesignator(byte[] page, DesignatorVisitor v) {
        if (page == null || page.length < 4 || (page[1] & 0xff) != PAGE_DEVICE_ID) {
            return;
        }
        int end = Math.min(page.length, 4 + (((page[2] & 0xff) << 8) | (page[3] & 0xff)));
        int off = 4;
        while (off + 4 <= end) {
            int len = page[off + 3] & 0xff;
            if (off + 4 + len > end) {
                break;
            }
            v.visit((page[off + 1] >> 4) & 0x3, page[off + 1] & 0xf, page[off] & 0xf, page, off + 4, len);
            off += 4 + len;
        }
    }

    private static String text(byte[] d, int off, int len) {
        String s = new String(d, off, len, StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return (nul < 0 ? s : s.substring(0, nul)).strip();
    }
}
