package io.mpathfs.fuse.fuse3;

import io.mpathfs.fuse.MpathFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * One libfuse3 mount of an MpathFs: fuse_new, fuse_mount, fuse_loop_mt on a thread of its own,
 * then fuse_unmount and fuse_destroy when the loop ends (the file system was unmounted, by us or by
 * "mpathfs umount"/fusermount -u). No libfuse signal handlers: MountedDevice installs the JVM's.
 */
public final class Fuse3Mount {
    private static final Logger LOG = Logger.getLogger("mpathfs");
    /** Worker threads libfuse may start (each one is attached to the JVM on its first upcall). */
    public static final int MAX_THREADS = 32;
    /** Idle workers kept; more are ended when the load drops. */
    public static final int MAX_IDLE_THREADS = 8;
    public static final int MAX_BACKGROUND = 64;
    public static final int CONGESTION_THRESHOLD = 48;

    private final LibFuse3 lib;
    private final MpathFs fs;
    private final Runtime runtime = Runtime.getSystemRuntime();
    /** Native memory libfuse may point into while mounted (argv strings, tables). */
    private final List<Object> keepAlive = new ArrayList<>();
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private volatile Pointer fuse;
    private volatile int loopResult;

    public Fuse3Mount(LibFuse3 lib, MpathFs fs) {
        this.lib = lib;
        this.fs = fs;
    }

    /**
     * Mounts at mountPoint with the given -o options (comma-separated) and starts serving on a new
     * thread. Returns once the kernel mount exists; FUSE INIT comes from the loop.
     */
    public void start(Path mountPoint, String options) {
        ParallelWritesOnOpen replies = new ParallelWritesOnOpen();
        Fuse3Operations ops = new Fuse3Operations(fs, replies, () -> fs.initialized(mountPoint), MAX_BACKGROUND,
                CONGESTION_THRESHOLD);
        keepAlive.add(ops);
        keepAlive.add(replies);
        Pointer args = fuseArgs("mpathfs", "-o", options);
        Pointer f = lib.fuse_new_31(args, ops.table(), Fuse3Layout.OPERATIONS_SIZE, null);
        if (f == null) {
            throw new IllegalStateException("fuse_new failed (libfuse3 printed why on stderr)");
        }
        if (lib.fuse_mount(f, mountPoint.toString()) != 0) {
            lib.fuse_destroy(f);
            throw new IllegalStateException("fuse_mount " + mountPoint + " failed (libfuse3 printed why on stderr)");
        }
        Pointer session = lib.fuse_get_session(f);
        int rc = lib.fuse_session_custom_io(session, replies.customIo(), lib.fuse_session_fd(session));
        if (rc != 0) {
            // Still a working mount, only without parallel direct writes.
            LOG.warning("fuse_session_custom_io: " + rc + "; parallel direct writes not requested");
        }
        fuse = f;
        Thread loop = new Thread(this::serve, "mpathfs-fuse3-loop");
        loop.setDaemon(true);
        loop.start();
    }

    private void serve() {
        Pointer f = fuse;
        Pointer cfg = lib.fuse_loop_cfg_create();
        try {
            lib.fuse_loop_cfg_set_max_threads(cfg, MAX_THREADS);
            lib.fuse_loop_cfg_set_idle_threads(cfg, MAX_IDLE_THREADS);
            lib.fuse_loop_cfg_set_clone_fd(cfg, 0);
            loopResult = lib.fuse_loop_mt_312(f, cfg);
        } finally {
            lib.fuse_loop_cfg_destroy(cfg);
            // Unmounts if still mounted (a no-op when the kernel side is gone), closes /dev/fuse.
            lib.fuse_unmount(f);
            lib.fuse_destroy(f);
            loopEnded.countDown();
        }
        if (loopResult != 0) {
            LOG.warning("fuse_loop_mt ended with " + loopResult);
        }
    }

    /** Asks the loop to stop; it ends at its next request, or at once when the mount goes away. */
    public void exit() {
        Pointer f = fuse;
        if (f != null && loopEnded.getCount() > 0) {
            lib.fuse_exit(f);
        }
    }

    /** Waits for the loop to end (after the file system was unmounted). */
    public boolean awaitEnd(long timeoutMs) throws InterruptedException {
        return loopEnded.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public boolean ended() {
        return loopEnded.getCount() == 0;
    }

    /** struct fuse_args {argc, argv, allocated=0}; the strings and the array stay referenced. */
    private Pointer fuseArgs(String... argv) {
        Pointer array = Memory.allocateDirect(runtime, (argv.length + 1) * 8L, true);
        for (int i = 0; i < argv.length; i++) {
            byte[] b = argv[i].getBytes(StandardCharsets.UTF_8);
            Pointer s = Memory.allocateDirect(runtime, b.length + 1, true);
            s.put(0, b, 0, b.length);
            keepAlive.add(s);
            array.putPointer(i * 8L, s);
        }
        keepAlive.add(array);
        Pointer args = Memory.allocateDirect(runtime, Fuse3Layout.ARGS_SIZE, true);
        args.putInt(Fuse3Layout.ARGS_ARGC, argv.length);
        args.putPointer(Fuse3Layout.ARGS_ARGV, array);
        args.putInt(Fuse3Layout.ARGS_ALLOCATED, 0);
        keepAlive.add(args);
        return args;
    }
}
