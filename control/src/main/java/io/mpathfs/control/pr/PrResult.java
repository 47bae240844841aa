package io.mpathfs.control.pr;

import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import io.mpathfs.nativeshim.Errno;

/**
 * Outcome of one PR command on the multipath device, in the three languages callers speak:
 * errno (ctl/pr write), a one-line reason / output text (ctl/pr read), and the block layer's PR
 * ioctl return (0, a positive SCSI status such as 0x18, or -errno). deviceAnswer is the logical
 * unit's own refusal ("CHECK CONDITION Not Ready 08/00") when the command reached it, null when
 * it did not (no path, transport failure): EIO is then ambiguous, the other a definite answer.
 */
public record PrResult(int errno, String text, String deviceAnswer) {
    public static PrResult ok(String output) {
        return new PrResult(0, output, null);
    }

    public static PrResult conflict(String why) {
        return new PrResult(Errno.EBADE, "reservation conflict: " + why, "RESERVATION CONFLICT");
    }

    public static PrResult error(int errno, String why) {
        return new PrResult(errno, why, null);
    }

    /** The logical unit refused the command with this answer. */
    public static PrResult refused(int errno, String why, String deviceAnswer) {
        return new PrResult(errno, why, deviceAnswer);
    }

    /** The device's refusal, in errno terms: conflict → EBADE, ILLEGAL REQUEST → EINVAL, else EIO. */
    public static PrResult fromDevice(ScsiResult r, String what) {
        if (r.isReservationConflict()) {
            return conflict(what);
        }
        if (r.isCheckCondition() && r.senseKey() == SenseKey.ILLEGAL_REQUEST) {
            return refused(Errno.EINVAL, what + ": " + r.describe(), r.describe());
        }
        return refused(Errno.EIO, what + ": " + r.describe(), r.describe());
    }

    public static PrResult noPath(String device) {
        return error(Errno.ENODEV, "no usable path to " + device);
    }

    public boolean isOk() {
        return errno == 0;
    }

    public boolean isConflict() {
        return errno == Errno.EBADE;
    }

    /** What IOC_PR_* returns, as sd_pr_command does: 0, RESERVATION CONFLICT status, or -errno. */
    public int ioctlReturn() {
        if (errno == 0) {
            return 0;
        }
        if (errno == Errno.EBADE) {
            return ScsiStatus.RESERVATION_CONFLICT;
        }
        return -errno;
    }
}
