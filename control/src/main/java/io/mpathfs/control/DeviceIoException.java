package io.mpathfs.control;

import io.mpathfs.nativeshim.Errno;
import java.io.IOException;

/** An IO through the multipath device failed; errno is what the application sees. */
public class DeviceIoException extends IOException {
    private final int errno;

    public DeviceIoException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public DeviceIoException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    @Override
    public String toString() {
        return Errno.name(errno) + ": " + getMessage();
    }
}
