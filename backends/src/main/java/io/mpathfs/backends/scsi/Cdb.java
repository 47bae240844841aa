package io.mpathfs.backends.scsi;

/** CDB builders for the commands mpathfs sends (layouts as SPC-4 and SBC-3 define them). */
public final class Cdb {
    public static final int TEST_UNIT_READY = 0x00, INQUIRY = 0x12, READ_10 = 0x28, WRITE_10 = 0x2a,
            SYNCHRONIZE_CACHE_10 = 0x35, PERSISTENT_RESERVE_IN = 0x5e, PERSISTENT_RESERVE_OUT = 0x5f,
            READ_16 = 0x88, WRITE_16 = 0x8a, SERVICE_ACTION_IN_16 = 0x9e, REPORT_LUNS = 0xa0,
            READ_CAPACITY_10 = 0x25;
    public static final int SAI_READ_CAPACITY_16 = 0x10;

    private Cdb() {
    }

    public static byte[] testUnitReady() {
        return new byte[6];
    }

    public static byte[] inquiry(boolean evpd, int page, int allocLen) {
        return new byte[] {INQUIRY, (byte) (evpd ? 1 : 0), (byte) page, (byte) (allocLen >> 8), (byte) allocLen, 0};
    }

    public static byte[] readCapacity16(int allocLen) {
        byte[] c = new byte[16];
        c[0] = (byte) SERVICE_ACTION_IN_16;
        c[1] = SAI_READ_CAPACITY_16;
        putInt(c, 10, allocLen);
        return c;
    }

    public static byte[] read16(long lba, int blocks) {
        return rw16(READ_16, lba, blocks);
    }

    public static byte[] write16(long lba, int blocks) {
        return rw16(WRITE_16, lba, blocks);
    }

    private static byte[] rw16(int op, long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) op;
        putLong(c, 2, lba);
        putInt(c, 10, blocks);
        return c;
    }

    public static byte[] read10(long lba, int blocks) {
        return rw10(READ_10, lba, blocks);
    }

    public static byte[] write10(long lba, int blocks) {
        return rw10(WRITE_10, lba, blocks);
    }

    private static byte[] rw10(int op, long lba, int blocks) {
        byte[] c = new byte[10];
        c[0] = (byte) op;
        putInt(c, 2, (int) lba);
        c[7] = (byte) (blocks >> 8);
        c[8] = (byte) blocks;
        return c;
    }

    public static byte[] synchronizeCache10() {
        byte[] c = new byte[10];
        c[0] = (byte) SYNCHRONIZE_CACHE_10;
        return c;
    }

    /** PERSISTENT RESERVE IN: sa 0 READ KEYS, 1 READ RESERVATION, 2 REPORT CAPABILITIES, 3 READ FULL STATUS. */
    public static byte[] prIn(int serviceAction, int allocLen) {
        byte[] c = new byte[10];
        c[0] = (byte) PERSISTENT_RESERVE_IN;
        c[1] = (byte) (serviceAction & 0x1f);
        c[7] = (byte) (allocLen >> 8);
        c[8] = (byte) allocLen;
        return c;
    }

    /** PERSISTENT RESERVE OUT with a 24-byte parameter list; type is the SCSI type code (1,3,5,6,7,8). */
    public static byte[] prOut(int serviceAction, int type) {
        byte[] c = new byte[10];
        c[0] = (byte) PERSISTENT_RESERVE_OUT;
        c[1] = (byte) (serviceAction & 0x1f);
        c[2] = (byte) (type & 0x0f); // scope 0 = LU
        putInt(c, 5, 24);
        return c;
    }

    /** The 24-byte PR OUT parameter list. */
    public static byte[] prOutParams(long key, long sark, boolean allTgPt, boolean aptpl) {
        byte[] p = new byte[24];
        putLong(p, 0, key);
        putLong(p, 8, sark);
        p[20] = (byte) ((allTgPt ? 0x04 : 0) | (aptpl ? 0x01 : 0));
        return p;
    }

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    public static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    public static int getInt(byte[] b, int off) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
