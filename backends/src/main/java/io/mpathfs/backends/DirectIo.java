package io.mpathfs.backends;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import jnr.ffi.Pointer;

/**
 * Whole-length O_DIRECT reads and writes on a descriptor, for every path backed by a file or a
 * block node. A short transfer that makes no progress means the backing shrank or vanished: a dead
 * path (so does ENOSPC from a block node inside the LU). libc failures are classified by {@link ErrorClassifier}.
 */
public final class DirectIo {
    private DirectIo() {
    }

    public static void readFully(NativeFile f, String name, long offset, AlignedBuffer buf, int length)
            throws PathException {
        int done = 0;
        try {
            while (done < length) {
                int n = f.pread(at(buf, done), length - done, offset + done);
                if (n == 0) {
                    throw PathException.pathFailure("pread " + name + ": short read at " + (offset + done));
                }
                done += n;
            }
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    public static void writeFully(NativeFile f, String name, long offset, AlignedBuffer buf, int length)
            throws PathException {
        int done = 0;
        try {
            while (done < length) {
                int n = f.pwrite(at(buf, done), length - done, offset + done);
                if (n == 0) {
                    throw PathException.pathFailure("pwrite " + name + ": wrote nothing at " + (offset + done));
                }
                done += n;
            }
        } catch (NativeException e) {
            if (e.errno() == Errno.ENOSPC && isBlockDevice(f)) {
                // A block node refuses writes at or past its capacity with ENOSPC, and the device
                // only writes inside the LU: the node shrank under us (a disk being deleted drops
                // its capacity to 0), so the path is dead, as with a short transfer.
                throw PathException.pathFailure("pwrite " + name + ": ENOSPC at " + (offset + done)
                        + ", inside the logical unit: the block device lost its capacity");
            }
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    private static boolean isBlockDevice(NativeFile f) {
        try {
            return f.stat().isBlockDevice();
        } catch (NativeException e) {
            return false;
        }
    }

    public static void sync(NativeFile f, String name) throws PathException {
        try {
            f.fdatasync();
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    private static Pointer at(AlignedBuffer buf, int off) {
        return off == 0 ? buf.pointer() : buf.pointer().slice(off);
    }
}
