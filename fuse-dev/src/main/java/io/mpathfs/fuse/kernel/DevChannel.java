package io.mpathfs.fuse.kernel;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/** Replies written to one /dev/fuse descriptor: write(2), or writev(2) of header and data. */
final class DevChannel implements ReplyChannel, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final int fd;
    /** Two struct iovec (base, len), preallocated: no allocation per reply. */
    private final AlignedBuffer iovBuffer = AlignedBuffer.allocate(4096);
    private final Pointer iov = iovBuffer.pointer();

    DevChannel(int fd) {
        this.fd = fd;
    }

    @Override
    public void send(Pointer buf, int len) {
        check(KernelLibC.LIBC.write(fd, buf, len));
    }

    @Override
    public void send(Pointer header, int headerLen, Pointer data, int len) {
        iov.putLong(0, header.address());
        iov.putLong(8, headerLen);
        iov.putLong(16, data.address());
        iov.putLong(24, len);
        check(KernelLibC.LIBC.writev(fd, iov, 2));
    }

    private static void check(long n) {
        if (n < 0) {
            int e = KernelLibC.errno();
            // ENOENT: the request was interrupted or the connection aborted; nobody waits for it.
            if (e != Errno.ENOENT && e != Errno.ENODEV) {
                LOG.warning("fuse: reply not taken: " + Errno.describe(e));
            }
        }
    }

    @Override
    public void close() {
        iovBuffer.close();
    }
}
