package io.mpathfs.nativeshim;

import java.io.IOException;

/** A failed libc call: names the call, the object and the errno ("pread /dev/sdb: EIO (Input/output error)"). */
public class NativeException extends IOException {
    private final int errno;

    public NativeException(String call, String object, int errno) {
        super(call + " " + object + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
