package io.mpathfs.backends;

import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;

/** A failed IO or command on one path, already classified. */
public class PathException extends IOException {
    private final ErrorClass errorClass;
    private final int errno;
    private final ScsiResult scsi;

    public PathException(ErrorClass errorClass, int errno, String message, ScsiResult scsi, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
        this.errno = errno;
        this.scsi = scsi;
    }

    public PathException(ErrorClass errorClass, int errno, String message) {
        this(errorClass, errno, message, null, null);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    /** The errno an application should see for this failure (EBADE for a conflict, EIO, ...). */
    public int errno() {
        return errno;
    }

    /** The SCSI outcome behind it, when there was one (null for a pread/pwrite failure). */
    public ScsiResult scsi() {
        return scsi;
    }

    public boolean isPathFailure() {
        return errorClass == ErrorClass.PATH_FAILURE;
    }

    public boolean isReservationConflict() {
        return errorClass == ErrorClass.RESERVATION_CONFLICT;
    }

    public static PathException pathFailure(String message) {
        return new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, message);
    }
}
