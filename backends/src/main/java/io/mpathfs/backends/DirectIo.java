package io.mpathfs.backends;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import jnr.ffi.Pointer;

/**
 * Whole-length O_DIRECT reads and writes on a descriptor, for every path backed by a file or a
 * block node. A short transfer that makes no progress means the backing shrank or vanished: a dead
 * path. libc failures are classified by {@link ErrorClassifier}.
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
            throw ErrorClassifier.fromNative(name, e);
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
