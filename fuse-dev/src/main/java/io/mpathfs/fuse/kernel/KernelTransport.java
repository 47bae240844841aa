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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * FUSE spoken to the kernel directly on /dev/fuse, with nothing of libfuse in between: mount(2)
 * with the descriptor, then a fixed pool of workers, each on its own descriptor cloned onto the
 * connection (FUSE_DEV_IOC_CLONE, so replies need no shared lock) with its own preallocated aligned
 * buffers. A worker reads a request, answers it and reads the next; the pool's size bounds the IO
 * in flight to the paths. Unmounting (ours, fusermount -u, umount) ends the connection and with it
 * the workers' reads (ENODEV).
 *
 * <p>With io_uring asked for (and offered by the kernel in INIT), one worker stays on /dev/fuse for
 * what never goes through the ring (INIT, FORGET, INTERRUPT, requests before every queue has an
 * entry) and the others serve ring entries ({@link UringWorker}); where the kernel does not offer
 * it or refuses the ring, the remaining /dev/fuse workers start instead.
 */
public final class KernelTransport implements FuseTransport {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final DeviceFiles files;
    private final String fsname;
    private final int workers;
    private final boolean noopReads;
    private final boolean uring;
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean devWorkersStarted = new AtomicBoolean();
    private volatile String mode = "/dev/fuse";
    private volatile Path mountPoint;

    /** fsname is what mount tables show as the source ("mpathfs:NAME"). */
    public KernelTransport(DeviceFiles files, String fsname, int workers, boolean noopReads, boolean uring) {
        this.files = files;
        this.fsname = fsname;
        this.workers = workers;
        this.noopReads = noopReads;
        this.uring = uring;
    }

    /** How requests reach the workers: "/dev/fuse" or "io_uring" (known once INIT is answered). */
    public String mode() {
        return mode;
    }

    /** A few workers per core: enough requests in flight to keep the paths' queues busy. */
    public static int defaultWorkers() {
        return Math.min(32, Math.max(4, 4 * Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String name() {
        return uring ? "uring" : "kernel";
    }

    /** Requests answered through ring entries so far (zero on /dev/fuse alone). */
    public long ringRequests() {
        FuseSession s = session;
        return s == null ? 0 : s.ringRequests.sum();
    }

    @Override
    public void mount(Path mp, boolean blocking, Runnable onServing) throws IOException, InterruptedException {
        FuseSession[] holder = new FuseSession[1];
        FuseSession session = new FuseSession(files, noopReads, uring, () -> {
            startAfterInit(holder[0]);
            onServing.run();
        });
        holder[0] = session;
        this.session = session;
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
        sessionFd = fd;
        if (uring) {
            // The rest start once INIT tells whether the ring is there.
            startWorker(new Worker(session, fd), "fuse-0");
        } else {
            startDevWorkers(session, true);
        }
        if (blocking) {
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private volatile int sessionFd = -1;
    private volatile FuseSession session;

    /** The /dev/fuse workers: all of them, or (ring refused) all but the one already serving. */
    private void startDevWorkers(FuseSession session, boolean includingFirst) throws IOException {
        if (!devWorkersStarted.compareAndSet(false, true)) {
            return;
        }
        int fd = sessionFd;
        List<Integer> fds = new ArrayList<>();
        if (includingFirst) {
            fds.add(fd);
        }
        try {
            while (fds.size() < (includingFirst ? workers : workers - 1)) {
                fds.add(clone(fd));
            }
        } catch (IOException e) {
            for (int f : fds) {
                if (f != fd || includingFirst) {
                    KernelLibC.LIBC.close(f);
                }
            }
            if (includingFirst) {
                KernelLibC.LIBC.umount2(mountPoint.toString(), KernelLibC.MNT_DETACH);
            }
            throw e;
        }
        startWorkers(fds.size(), "fuse-", threads.size(), i -> new Worker(session, fds.get(i)));
        LOG.fine("fuse: " + threads.size() + " workers on /dev/fuse");
    }

    /** Starts count workers of one kind, threads named prefix + number from first on. */
    private void startWorkers(int count, String prefix, int first, IntFunction<Runnable> worker) {
        for (int i = 0; i < count; i++) {
            startWorker(worker.apply(i), prefix + (first + i));
        }
    }

    private void startWorker(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Runs on the worker that answered INIT: ring workers when the kernel granted FUSE over
     * io_uring (entries for every queue, spread over the workers), else the other /dev/fuse workers.
     */
    private void startAfterInit(FuseSession session) {
        if (!uring) {
            return;
        }
        Runnable refused = () -> {
            mode = "/dev/fuse";
            try {
                startDevWorkers(session, false);
            } catch (IOException e) {
                LOG.warning("fuse: " + e.getMessage());
            }
        };
        if (!session.uringGranted()) {
            LOG.info("fuse: the kernel does not offer FUSE over io_uring (fuse module parameter enable_uring); using /dev/fuse");
            refused.run();
            return;
        }
        mode = "io_uring";
        int queues = UringWorker.queueCount();
        int ringWorkers = Math.max(1, workers - 1);
        int entries = Math.max(ringWorkers, queues);
        List<List<Integer>> qids = new ArrayList<>();
        for (int w = 0; w < ringWorkers; w++) {
            qids.add(new ArrayList<>());
        }
        for (int e = 0; e < entries; e++) {
            qids.get(e % ringWorkers).add(e % queues);
        }
        AtomicBoolean once = new AtomicBoolean();
        Runnable refusedOnce = () -> {
            if (once.compareAndSet(false, true)) {
                refused.run();
            }
        };
        startWorkers(ringWorkers, "fuse-ring-", 0, w -> new UringWorker(session, sessionFd, qids.get(w), refusedOnce));
        LOG.info("fuse: requests through io_uring: " + ringWorkers + " workers, " + entries + " ring entries over "
                + queues + " queues");
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
