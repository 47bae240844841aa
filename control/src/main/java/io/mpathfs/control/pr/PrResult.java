package io.mpathfs.control.pr;

import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.nativeshim.Errno;

/**
 * Outcome of one PR command on the multipath device, in the three languages callers speak:
 * errno (ctl/pr write), a one-line reason / output text (ctl/pr read), and the block layer's PR
 * ioctl return (0, a positive SCSI status such as 0x18, or -errno).
 */
public record PrResult(int errno, String text) {
    public static PrResult ok(String output) {
        return new PrResult(0, output);
    }

    public static PrResult conflict(String why) {
        return new PrResult(Errno.EBADE, "reservation conflict: " + why);
    }

    public static PrResult error(int errno, String why) {
        return new PrResult(errno, why);
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
