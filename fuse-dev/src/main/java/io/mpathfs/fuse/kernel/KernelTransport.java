package io.mpathfs.fuse.kernel;

import io.mpathfs.fuse.files.FuseTransport;
import io.mpathfs.fuse.files.DeviceFiles;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * FUSE spoken to the kernel directly on /dev/fuse, with nothing of libfuse in between: mount(2)
 * with the descriptor, then a fixed pool of workers, each on its own descriptor cloned onto the
 * connection (FUSE_DEV_IOC_CLONE, so replies need no shared lock) with its own preallocated aligned
 * buffers. A worker reads a request, answers it and reads the next; the pool's size bounds the IO
 * in flight to the paths. Unmounting (ours, fusermount -u, umount) ends the connection and with it
 * the workers' reads (ENODEV).
 */
public final class KernelTransport implements FuseTransport {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final DeviceFiles files;
    private final String fsname;
    private final int workers;
    private final boolean noopReads;
    private final List<Thread> threads = new ArrayList<>();
    private volatile Path mountPoint;

    /** fsname is what mount tables show as the source ("mpathfs:NAME"). */
    public KernelTransport(DeviceFiles files, String fsname, int workers, boolean noopReads) {
        this.files = files;
        this.fsname = fsname;
        this.workers = workers;
        this.noopReads = noopReads;
    }

    /** A few workers per core: enough requests in flight to keep the paths' queues busy. */
    public static int defaultWorkers() {
        return Math.min(32, Math.max(4, 4 * Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public void mount(Path mp, boolean blocking, Runnable onServing) throws IOException, InterruptedException {
        FuseSession session = new FuseSession(files, noopReads, onServing);
        int fd = openDevice();
        // allow_other: the disk is for whoever its mode lets in; default_permissions: the kernel
        // enforces those modes and owners, so nothing here decides access by itself.
        String options = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0,default_permissions,allow_other";
        if (KernelLibC.LIBC.mount(fsname, mp.toString(), "fuse.mpathfs", KernelLibC.MS_NOSUID | KernelLibC.MS_NODEV,
                options) != 0) {
            int e = KernelLibC.errno();
            KernelLibC.LIBC.close(fd);
            throw new IOException("mount " + mp + ": " + Errno.describe(e));
        }
        mountPoint = mp;
        List<Integer> fds = new ArrayList<>(List.of(fd));
        try {
            for (int i = 1; i < workers; i++) {
                fds.add(clone(fd));
            }
        } catch (IOException e) {
            for (int f : fds) {
                KernelLibC.LIBC.close(f);
            }
            KernelLibC.LIBC.umount2(mp.toString(), KernelLibC.MNT_DETACH);
            throw e;
        }
        for (int i = 0; i < fds.size(); i++) {
            Thread t = new Thread(new Worker(session, fds.get(i)), "fuse-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        LOG.fine("fuse: " + fds.size() + " workers on /dev/fuse");
        if (blocking) {
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private static int openDevice() throws IOException {
        int fd = KernelLibC.LIBC.open("/dev/fuse", KernelLibC.O_RDWR | KernelLibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("/dev/fuse: " + Errno.describe(KernelLibC.errno()));
        }
        return fd;
    }

    private static int clone(int sessionFd) throws IOException {
        int fd = openDevice();
        Pointer arg = jnr.ffi.Memory.allocateDirect(KernelLibC.RUNTIME, 4);
        arg.putInt(0, sessionFd);
        if (KernelLibC.LIBC.ioctl(fd, FuseLayout.FUSE_DEV_IOC_CLONE, arg) != 0) {
            int e = KernelLibC.errno();
            KernelLibC.LIBC.close(fd);
            throw new IOException("FUSE_DEV_IOC_CLONE: " + Errno.describe(e));
        }
        return fd;
    }

    /** Workers still serving (tests, and the count make bench prints). */
    public int liveWorkers() {
        return (int) threads.stream().filter(Thread::isAlive).count();
    }

    /**
     * Detaches the mount; the kernel ends the connection once nothing on it is open any more, and
     * the workers end with it. Waits a little for them; a file still held open keeps them serving
     * it until it is closed (or the process exits, which ends the connection).
     */
    @Override
    public void umount() {
        Path mp = mountPoint;
        if (mp == null) {
            return;
        }
        if (KernelLibC.LIBC.umount2(mp.toString(), KernelLibC.MNT_DETACH) != 0) {
            int e = KernelLibC.errno();
            if (e != Errno.EINVAL && e != Errno.ENOENT) { // EINVAL: no longer mounted (fusermount -u got there first)
                LOG.warning("umount " + mp + ": " + Errno.describe(e));
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left > 0 && t != Thread.currentThread()) {
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (liveWorkers() > 0) {
            LOG.info("fuse: files still open on the detached mount " + mp + "; served until closed");
        }
    }

    /** One worker: its descriptor, its buffers, its handler; reads and answers until the connection ends. */
    private static final class Worker implements Runnable {
        private final FuseSession session;
        private final int fd;

        Worker(FuseSession session, int fd) {
            this.session = session;
            this.fd = fd;
        }

        @Override
        public void run() {
            try (AlignedBuffer in = AlignedBuffer.allocate(RequestHandler.IN_CAPACITY);
                 AlignedBuffer out = AlignedBuffer.allocate(RequestHandler.OUT_CAPACITY);
                 DevChannel channel = new DevChannel(fd)) {
                RequestHandler handler = new RequestHandler(session, in, out, channel);
                Pointer request = KernelLibC.RUNTIME.getMemoryManager()
                        .newPointer(in.address() + RequestHandler.REQUEST_OFFSET, RequestHandler.READ_SIZE);
                while (!session.destroyed()) {
                    long n = KernelLibC.LIBC.read(fd, request, RequestHandler.READ_SIZE);
                    if (n < 0) {
                        int e = KernelLibC.errno();
                        if (e == Errno.EINTR || e == Errno.EAGAIN || e == Errno.ENOENT) {
                            continue; // interrupted, or a request withdrawn before we got it
                        }
                        if (e != Errno.ENODEV) { // ENODEV: unmounted, the connection is gone
                            LOG.warning("fuse: reading /dev/fuse: " + Errno.describe(e));
                        }
                        return;
                    }
                    handler.handle((int) n);
                }
            } finally {
                KernelLibC.LIBC.close(fd);
            }
        }
    }
}
