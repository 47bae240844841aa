package io.mpathfs.control.ctl;

import io.mpathfs.nativeshim.Errno;

/** A ctl command that failed: write() returns -errno, and a read gives the reason. */
public class CtlException extends Exception {
    private final int errno;

    public CtlException(int errno, String reason) {
        super(reason);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public static CtlException invalid(String reason) {
        return new CtlException(Errno.EINVAL, reason);
    }
}
