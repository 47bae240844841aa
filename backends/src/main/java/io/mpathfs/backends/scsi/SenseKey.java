package io.mpathfs.backends.scsi;

/** SPC sense keys. */
public final class SenseKey {
    public static final int NO_SENSE = 0x0, RECOVERED_ERROR = 0x1, NOT_READY = 0x2, MEDIUM_ERROR = 0x3,
            HARDWARE_ERROR = 0x4, ILLEGAL_REQUEST = 0x5, UNIT_ATTENTION = 0x6, DATA_PROTECT = 0x7,
            BLANK_CHECK = 0x8, ABORTED_COMMAND = 0xb, MISCOMPARE = 0xe;

    private SenseKey() {
    }

    public static String name(int key) {
        return switch (key) {
            case NO_SENSE -> "No Sense";
            case RECOVERED_ERROR -> "Recovered Error";
            case NOT_READY -> "Not Ready";
            case MEDIUM_ERROR -> "Medium Error";
            case HARDWARE_ERROR -> "Hardware Error";
            case ILLEGAL_REQUEST -> "Illegal Request";
            case UNIT_ATTENTION -> "Unit Attention";
            case DATA_PROTECT -> "Data Protect";
            case BLANK_CHECK -> "Blank Check";
            case ABORTED_COMMAND -> "Aborted Command";
            case MISCOMPARE -> "Miscompare";
            default -> String.format("sense key 0x%x", key);
        };
    }
}
