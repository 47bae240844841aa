package io.mpathfs.backends.scsi;

/**
 * Outcome of one SCSI command as a device (or SG_IO) reports it. hostStatus/driverStatus are the
 * Linux SG_IO transport fields (0 = fine); the embedded target always reports 0 there.
 */
public record ScsiResult(int status, int hostStatus, int driverStatus, byte[] sense, int resid) {
    public static final ScsiResult GOOD = new ScsiResult(ScsiStatus.GOOD, 0, 0, new byte[0], 0);
    public static final ScsiResult RESERVATION_CONFLICT =
            new ScsiResult(ScsiStatus.RESERVATION_CONFLICT, 0, 0, new byte[0], 0);

    public static ScsiResult good(int resid) {
        return new ScsiResult(ScsiStatus.GOOD, 0, 0, new byte[0], resid);
    }

    public static ScsiResult checkCondition(int senseKey, int asc, int ascq) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, 0, 0x08, Sense.fixed(senseKey, asc, ascq), 0);
    }

    public static ScsiResult status(int status) {
        return new ScsiResult(status, 0, 0, new byte[0], 0);
    }

    public boolean isGood() {
        return (status == ScsiStatus.GOOD || status == ScsiStatus.CONDITION_MET) && hostStatus == 0
                && (driverStatus & 0x07) == 0;
    }

    public boolean isReservationConflict() {
        return status == ScsiStatus.RESERVATION_CONFLICT;
    }

    public boolean isCheckCondition() {
        return status == ScsiStatus.CHECK_CONDITION;
    }

    public boolean isUnitAttention() {
        return isCheckCondition() && senseKey() == SenseKey.UNIT_ATTENTION;
    }

    public int senseKey() {
        return isCheckCondition() ? Sense.senseKey(sense) : -1;
    }

    public int asc() {
        return isCheckCondition() ? Sense.asc(sense) : -1;
    }

    public int ascq() {
        return isCheckCondition() ? Sense.ascq(sense) : -1;
    }

    /** sg_persist-like wording: "RESERVATION CONFLICT", "CHECK CONDITION Illegal Request 24/00". */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (hostStatus != 0) {
            b.append(String.format("host status 0x%02x ", hostStatus));
        }
        if ((driverStatus & 0x07) != 0) {
            b.append(String.format("driver status 0x%02x ", driverStatus));
        }
        b.append(ScsiStatus.name(status));
        if (isCheckCondition()) {
            b.append(' ').append(SenseKey.name(senseKey()))
                    .append(String.format(" %02x/%02x", asc(), ascq()));
        }
        return b.toString().trim();
    }

    @Override
    public String toString() {
        return describe();
    }
}
