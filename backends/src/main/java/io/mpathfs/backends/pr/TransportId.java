package io.mpathfs.backends.pr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SCSI initiator TransportIDs (SPC-4 7.6.4) as READ FULL STATUS reports them: iSCSI (protocol 5,
 * format 00b: the iSCSI name, NUL-terminated and padded to a multiple of 4, at least 20 bytes) and
 * SAS (protocol 6: the 8-byte SAS address in a 24-byte id). LIO's tcm_loop picks the protocol from
 * the initiator WWN prefix, and so do we: "naa." names are SAS addresses, everything else iSCSI.
 */
public final class TransportId {
    public static final int PROTOCOL_ISCSI = 0x5, PROTOCOL_SAS = 0x6;

    private TransportId() {
    }

    /** The TransportID for an initiator port name ("iqn.…" or "naa.<16 hex digits>"). */
    public static byte[] forInitiator(String name) {
        if (isSasName(name)) {
            return sas(Long.parseUnsignedLong(name.substring(4), 16));
        }
        return iscsi(name);
    }

    /** "naa." followed by exactly 16 hex digits: a SAS address. */
    public static boolean isSasName(String name) {
        if (name.length() != 20 || !name.toLowerCase(Locale.ROOT).startsWith("naa.")) {
            return false;
        }
        for (int i = 4; i < 20; i++) {
            if (Character.digit(name.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public static byte[] iscsi(String iscsiName) {
        byte[] name = iscsiName.getBytes(StandardCharsets.UTF_8);
        int len = Math.max(20, (name.length + 1 + 3) & ~3);
        byte[] t = new byte[4 + len];
        t[0] = PROTOCOL_ISCSI;
        t[2] = (byte) (len >> 8);
        t[3] = (byte) len;
        System.arraycopy(name, 0, t, 4, name.length);
        return t;
    }

    public static byte[] sas(long address) {
        byte[] t = new byte[24];
        t[0] = PROTOCOL_SAS;
        for (int i = 0; i < 8; i++) {
            t[4 + i] = (byte) (address >>> (56 - 8 * i));
        }
        return t;
    }

    /** Readable form: the iSCSI name (with ",i,0x<ISID>" for format 01b), "naa.<hex>" for SAS, else hex. */
    public static String describe(byte[] t) {
        if (t == null || t.length < 4) {
            return "(none)";
        }
        int protocol = t[0] & 0x0f;
        if (protocol == PROTOCOL_ISCSI && t.length > 4) {
            int len = Math.min(t.length - 4, ((t[2] & 0xff) << 8) | (t[3] & 0xff));
            String s = new String(t, 4, len, StandardCharsets.UTF_8);
            int nul = s.indexOf('\0');
            s = nul < 0 ? s : s.substring(0, nul);
            // Format 01b carries "name,i,0xISID" in the same field: shown as is.
            return s;
        }
        if (protocol == PROTOCOL_SAS && t.length >= 12) {
            return "naa." + HexFormat.of().formatHex(t, 4, 12);
        }
        return "protocol " + protocol + ":" + HexFormat.of().formatHex(t);
    }

    /** Byte-wise equality, the way a registration is matched to an initiator port. */
    public static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
