package io.mpathfs.backends.pr;

import io.mpathfs.backends.scsi.Cdb;

/** PERSISTENT RESERVE IN CDBs with allocation lengths large enough for this project's use. */
public final class PrIn {
    /** 8 header bytes + room for 1000 keys; full status descriptors are longer. */
    public static final int READ_KEYS_ALLOC = 8 + 8 * 1000;
    public static final int READ_RESERVATION_ALLOC = 24;
    public static final int REPORT_CAPABILITIES_ALLOC = 8;
    public static final int READ_FULL_STATUS_ALLOC = 0xfff0;

    private PrIn() {
    }

    public static byte[] cdb(PrInAction action) {
        return Cdb.prIn(action.code(), defaultAllocation(action));
    }

    public static int defaultAllocation(PrInAction action) {
        return switch (action) {
            case READ_KEYS -> READ_KEYS_ALLOC;
            case READ_RESERVATION -> READ_RESERVATION_ALLOC;
            case REPORT_CAPABILITIES -> REPORT_CAPABILITIES_ALLOC;
            case READ_FULL_STATUS -> READ_FULL_STATUS_ALLOC;
        };
    }
}
