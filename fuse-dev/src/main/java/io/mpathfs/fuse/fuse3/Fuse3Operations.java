package io.mpathfs.fuse.fuse3;

import io.mpathfs.fuse.MpathFs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.struct.FileStat;

/**
 * libfuse3's struct fuse_operations, filled with callbacks that serve an MpathFs: each one
 * translates the 3.x signature to the call MpathFs already implements for libfuse2, so every
 * filesystem decision stays in MpathFs. The callback objects are kept here: libfuse holds only
 * their native trampolines, which die with them.
 */
final class Fuse3Operations {
    private static final Logger LOG = Logger.getLogger("mpathfs");
    private static final int EIO = 5;
    /** FUSE_CAP_ASYNC_DIO: the kernel may send the pieces of one direct IO in parallel. */
    private static final int FUSE_CAP_ASYNC_DIO = 1 << 15;

    private final MpathFs fs;
    private final ParallelWritesOnOpen replies;
    private final Runnable onInit;
    private final int maxBackground;
    private final int congestionThreshold;
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Pointer table = Memory.allocateDirect(runtime, Fuse3Layout.OPERATIONS_SIZE, true);
    private final List<Object> callbacks = new ArrayList<>();

    /**
     * @param onInit runs when FUSE INIT arrives (the kernel connection is up)
     * @param maxBackground the kernel's limit on queued asynchronous requests (libfuse2 left 12)
     */
    Fuse3Operations(MpathFs fs, ParallelWritesOnOpen replies, Runnable onInit, int maxBackground,
            int congestionThreshold) {
        this.fs = fs;
        this.replies = replies;
        this.onInit = onInit;
        this.maxBackground = maxBackground;
        this.congestionThreshold = congestionThreshold;
        put(Fuse3Layout.OP_GETATTR, Fuse3Callbacks.Getattr.class,
                (Fuse3Callbacks.Getattr) (path, stat, fi) -> guarded("getattr", () -> fs.getattr(path, FileStat.of(stat))));
        put(Fuse3Layout.OP_READDIR, Fuse3Callbacks.Readdir.class, (Fuse3Callbacks.Readdir) this::readdir);
        put(Fuse3Layout.OP_OPEN, Fuse3Callbacks.PathFile.class, (Fuse3Callbacks.PathFile) this::open);
        put(Fuse3Layout.OP_READ, Fuse3Callbacks.ReadWrite.class, (Fuse3Callbacks.ReadWrite) (path, buf, size, off, fi) ->
                guarded("read", () -> FileInfoBridge.call(fi, f -> fs.read(path, buf, size, off, f))));
        put(Fuse3Layout.OP_WRITE, Fuse3Callbacks.ReadWrite.class, (Fuse3Callbacks.ReadWrite) (path, buf, size, off, fi) ->
                guarded("write", () -> FileInfoBridge.call(fi, f -> fs.write(path, buf, size, off, f))));
        put(Fuse3Layout.OP_RELEASE, Fuse3Callbacks.PathFile.class, (Fuse3Callbacks.PathFile) (path, fi) ->
                guarded("release", () -> FileInfoBridge.call(fi, f -> fs.release(path, f))));
        put(Fuse3Layout.OP_FLUSH, Fuse3Callbacks.PathFile.class, (Fuse3Callbacks.PathFile) (path, fi) ->
                guarded("flush", () -> FileInfoBridge.call(fi, f -> fs.flush(path, f))));
        put(Fuse3Layout.OP_FSYNC, Fuse3Callbacks.Fsync.class, (Fuse3Callbacks.Fsync) (path, datasync, fi) ->
                guarded("fsync", () -> FileInfoBridge.call(fi, f -> fs.fsync(path, datasync, f))));
        put(Fuse3Layout.OP_TRUNCATE, Fuse3Callbacks.Truncate.class, (Fuse3Callbacks.Truncate) (path, size, fi) ->
                guarded("truncate", () -> fs.truncate(path, size)));
        put(Fuse3Layout.OP_GETXATTR, Fuse3Callbacks.Getxattr.class, (Fuse3Callbacks.Getxattr) (path, name, value, size) ->
                guarded("getxattr", () -> fs.getxattr(path, name, value, size)));
        put(Fuse3Layout.OP_IOCTL, Fuse3Callbacks.Ioctl.class, (Fuse3Callbacks.Ioctl) (path, cmd, arg, fi, flags, data) ->
                guarded("ioctl", () -> FileInfoBridge.call(fi, f ->
                        fs.ioctl(path, cmd, arg, f, Integer.toUnsignedLong(flags), data))));
        put(Fuse3Layout.OP_INIT, Fuse3Callbacks.Init.class, (Fuse3Callbacks.Init) this::init);
    }

    /** The struct to pass to fuse_new (valid while this object is reachable). */
    Pointer table() {
        return table;
    }

    private <T> void put(int offset, Class<T> type, T callback) {
        callbacks.add(callback);
        table.putAddress(offset, runtime.getClosureManager().getClosurePointer(type, callback).address());
    }

    /** An exception must never unwind into libfuse: answer EIO and say why. */
    private static int guarded(String op, IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, op + ": " + e, e);
            return -EIO;
        }
    }

    private int open(String path, Pointer fuse3Fi) {
        return guarded("open", () -> {
            int rc = FileInfoBridge.open(fuse3Fi, fi -> fs.open(path, fi));
            if (rc == 0 && fs.parallelDirectWrites(path)) {
                replies.markThisThreadsOpenReply();
            }
            return rc;
        });
    }

    private int readdir(String path, Pointer buf, Pointer filler, long offset, Pointer fi, int flags) {
        return guarded("readdir", () -> FileInfoBridge.call(fi, f -> fs.readdir(path, buf, FillDirCall.over(filler), offset, f)));
    }

    private Pointer init(Pointer conn, Pointer cfg) {
        // More queued asynchronous requests (libaio at depth 32, the pieces of async direct IO).
        conn.putInt(Fuse3Layout.CONN_MAX_BACKGROUND, maxBackground);
        conn.putInt(Fuse3Layout.CONN_CONGESTION_THRESHOLD, congestionThreshold);
        int capable = conn.getInt(Fuse3Layout.CONN_CAPABLE);
        if ((capable & FUSE_CAP_ASYNC_DIO) != 0) {
            conn.putInt(Fuse3Layout.CONN_WANT, conn.getInt(Fuse3Layout.CONN_WANT) | FUSE_CAP_ASYNC_DIO);
        }
        // fuse_config: caching stays as libfuse sets it (no kernel_cache, no global direct_io):
        // each open decides for itself (MpathFs: /disk and ctl/* are direct_io under libfuse3).
        try {
            onInit.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "init: " + e, e);
        }
        return null;
    }
}
