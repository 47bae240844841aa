package io.mpathfs.backends.scsi;

/** Decoding and building of sense data (fixed format 0x70/0x71, descriptor format 0x72/0x73). */
public final class Sense {
    private Sense() {
    }

    /** Fixed-format current sense, 18 bytes: byte 0 = 0x70, key in byte 2, ASC/ASCQ in 12/13. */
    public static byte[] fixed(int senseKey, int asc, int ascq) {
        byte[] s = new byte[18];
        s[0] = 0x70;
        s[2] = (byte) (senseKey & 0x0f);
        s[7] = 10;
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        return s;
    }

    public static int senseKey(byte[] s) {
        if (s == null || s.length < 3) {
            return -1;
        }
        int code = s[0] & 0x7f;
        if (code == 0x72 || code == 0x73) {
            return s[1] & 0x0f;
        }
        return s[2] & 0x0f;
    }

    public static int asc(byte[] s) {
        if (s == null || s.length < 3) {
            return -1;
        }
        int code = s[0] & 0x7f;
        if (code == 0x72 || code == 0x73) {
            return s[2] & 0xff;
        }
        return s.length > 12 ? s[12] & 0xff : -1;
    }

    public static int ascq(byte[] s) {
        if (s == null || s.length < 3) {
            return -1;
        }
        int code = s[0] & 0x7f;
        if (code == 0x72 || code == 0x73) {
            return s[3] & 0xff;
        }
        return s.length > 13 ? s[13] & 0xff : -1;
    }
}
