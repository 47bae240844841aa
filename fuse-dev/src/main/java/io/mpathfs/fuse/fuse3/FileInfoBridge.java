package io.mpathfs.fuse.fuse3;

import io.mpathfs.fuse.MpathFs;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.ToIntFunction;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * MpathFs speaks jnr-fuse's FuseFileInfo, which has libfuse2's layout. Under libfuse3 each call
 * borrows a libfuse2-layout scratch carrying what MpathFs reads (flags, fh); after open, what
 * MpathFs decided (fh, direct_io) is copied back into libfuse3's struct. A pool rather than a
 * ThreadLocal: jnr attaches libfuse's threads to the JVM for one upcall at a time, so each upcall
 * runs on a new java.lang.Thread and a ThreadLocal would allocate every time.
 */
final class FileInfoBridge {
    /** libfuse2's struct fuse_file_info is 64 bytes on x86_64. */
    private static final int FUSE2_FI_SIZE = 64;
    private static final ConcurrentLinkedQueue<FuseFileInfo> POOL = new ConcurrentLinkedQueue<>();

    private FileInfoBridge() {
    }

    /** Runs call with a scratch filled from libfuse3's fi (which may be NULL, e.g. getattr by path). */
    static int call(Pointer fuse3Fi, ToIntFunction<FuseFileInfo> call) {
        FuseFileInfo fi = borrow(fuse3Fi);
        try {
            return call.applyAsInt(fi);
        } finally {
            POOL.offer(fi);
        }
    }

    /** As call, for open: on success fh and direct_io go back into libfuse3's fi. */
    static int open(Pointer fuse3Fi, ToIntFunction<FuseFileInfo> open) {
        FuseFileInfo fi = borrow(fuse3Fi);
        try {
            int rc = open.applyAsInt(fi);
            if (rc == 0) {
                fuse3Fi.putLong(Fuse3Layout.FI_FH, fi.fh.get());
                int bits = fuse3Fi.getInt(Fuse3Layout.FI_BITS);
                bits = MpathFs.isDirectIo(fi) ? bits | Fuse3Layout.FI_DIRECT_IO_BIT : bits & ~Fuse3Layout.FI_DIRECT_IO_BIT;
                fuse3Fi.putInt(Fuse3Layout.FI_BITS, bits);
            }
            return rc;
        } finally {
            POOL.offer(fi);
        }
    }

    private static FuseFileInfo borrow(Pointer fuse3Fi) {
        FuseFileInfo fi = POOL.poll();
        if (fi == null) {
            fi = FuseFileInfo.of(Memory.allocateDirect(Runtime.getSystemRuntime(), FUSE2_FI_SIZE, true));
        } else {
            jnr.ffi.Struct.getMemory(fi).setMemory(0, FUSE2_FI_SIZE, (byte) 0);
        }
        if (fuse3Fi != null) {
            fi.flags.set(fuse3Fi.getInt(Fuse3Layout.FI_FLAGS));
            fi.fh.set(fuse3Fi.getLong(Fuse3Layout.FI_FH));
        }
        return fi;
    }
}
