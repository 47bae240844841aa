package io.mpathfs.backends;

import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;

/**
 * The one place that decides what a failure means (see {@link ErrorClass}). Follows the Linux
 * block layer: blk_path_error() treats NOTSUPP, NOSPC, TARGET, NEXUS (reservation conflict), MEDIUM
 * and PROTECTION as not-a-path-failure; everything else fails the path.
 */
public final class ErrorClassifier {
    /** driver_status low nibble: DRIVER_SENSE means "sense is valid", not an error. */
    private static final int DRIVER_MASK = 0x0f, DRIVER_SENSE = 0x08;
    private static final int EILSEQ = 84;

    private ErrorClassifier() {
    }

    /** Class of a pread/pwrite/open errno from a block device or file. */
    public static ErrorClass ofErrno(int errno) {
        return switch (errno) {
            case Errno.EBADE -> ErrorClass.RESERVATION_CONFLICT;
            // BLK_STS_MEDIUM, _TARGET, _NOSPC, _NOTSUPP, _PROTECTION, and our own bad arguments.
            case Errno.ENODATA, Errno.EREMOTEIO, Errno.ENOSPC, Errno.EOPNOTSUPP, EILSEQ, Errno.EINVAL,
                    Errno.EFBIG, Errno.EROFS -> ErrorClass.TARGET_ERROR;
            case Errno.EAGAIN, Errno.EINTR -> ErrorClass.RETRY;
            default -> ErrorClass.PATH_FAILURE; // EIO, ENXIO, ENODEV, ETIMEDOUT, ENOLINK, EBADF, ...
        };
    }

    /** Class of a completed SCSI command; null when it succeeded. */
    public static ErrorClass ofScsi(ScsiResult r) {
        if (r.hostStatus() != 0 || (r.driverStatus() & DRIVER_MASK & ~DRIVER_SENSE) != 0) {
            return ErrorClass.PATH_FAILURE;
        }
        switch (r.status()) {
            case ScsiStatus.GOOD, ScsiStatus.CONDITION_MET:
                return null;
            case ScsiStatus.RESERVATION_CONFLICT:
                return ErrorClass.RESERVATION_CONFLICT;
            case ScsiStatus.BUSY, ScsiStatus.TASK_SET_FULL:
                return ErrorClass.RETRY;
            case ScsiStatus.CHECK_CONDITION:
                return ofSenseKey(r.senseKey());
            default:
                return ErrorClass.PATH_FAILURE;
        }
    }

    static ErrorClass ofSenseKey(int senseKey) {
        return switch (senseKey) {
            case SenseKey.NO_SENSE, SenseKey.RECOVERED_ERROR -> null;
            case SenseKey.UNIT_ATTENTION, SenseKey.ABORTED_COMMAND -> ErrorClass.RETRY;
            case SenseKey.NOT_READY, SenseKey.HARDWARE_ERROR -> ErrorClass.PATH_FAILURE;
            default -> ErrorClass.TARGET_ERROR; // MEDIUM ERROR, ILLEGAL REQUEST, DATA PROTECT, ...
        };
    }

    /** errno an application sees for a class (the kernel's mapping of the block status). */
    public static int errnoOf(ErrorClass c) {
        return switch (c) {
            case RESERVATION_CONFLICT -> Errno.EBADE;
            default -> Errno.EIO;
        };
    }

    /** Wraps a libc failure of a path's data IO. */
    public static PathException fromNative(String pathName, NativeException e) {
        ErrorClass c = ofErrno(e.errno());
        int errno = c == ErrorClass.RESERVATION_CONFLICT ? Errno.EBADE
                : c == ErrorClass.TARGET_ERROR ? e.errno() : Errno.EIO;
        return new PathException(c, errno, e.getMessage(), null, e);
    }

    /** Wraps a SCSI command that did not succeed. */
    public static PathException fromScsi(String pathName, String what, ScsiResult r) {
        ErrorClass c = ofScsi(r);
        if (c == null) {
            throw new IllegalArgumentException("not a failure: " + r);
        }
        int errno = c == ErrorClass.RESERVATION_CONFLICT ? Errno.EBADE
                : c == ErrorClass.TARGET_ERROR && r.senseKey() == SenseKey.MEDIUM_ERROR ? Errno.ENODATA
                : c == ErrorClass.TARGET_ERROR && r.senseKey() == SenseKey.ILLEGAL_REQUEST ? Errno.EINVAL
                : Errno.EIO;
        return new PathException(c, errno, what + " on " + pathName + ": " + r.describe(), r, null);
    }
}
