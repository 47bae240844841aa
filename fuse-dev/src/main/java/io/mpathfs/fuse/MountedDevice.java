package io.mpathfs.fuse;

import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathChecker;
import io.mpathfs.fuse.files.FuseTransport;
import io.mpathfs.fuse.files.MountFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The lifecycle of one mount: creates the mount point, clears a stale mount left by a killed
 * daemon, mounts, runs the path checker, and on unmount (command, signal or test) stops the
 * checker, unmounts and closes the paths — leaving no stale mount behind. The same for either
 * transport.
 */
public final class MountedDevice implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final Path mountPoint;
    private final MountFiles files;
    private final FuseTransport transport;
    private final PathChecker checker;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private io.mpathfs.control.hotplug.HotplugWatch hotplug;
    private volatile boolean closed;

    public MountedDevice(Path mountPoint, MountFiles files, FuseTransport transport) {
        this.mountPoint = mountPoint.toAbsolutePath().normalize();
        this.files = files;
        this.transport = transport;
        this.checker = new PathChecker(files.device());
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public MountFiles files() {
        return files;
    }

    public FuseTransport transport() {
        return transport;
    }

    public MultipathDevice device() {
        return files.device();
    }

    public PathChecker checker() {
        return checker;
    }

    /** Paths found by WWID: the watch starts with the checker and stops with it. */
    public void watchPaths(io.mpathfs.control.hotplug.HotplugWatch watch) {
        this.hotplug = watch;
    }

    /** Closed after the file system is unmounted (e.g. a PR coordinator, a sim target). */
    public void closeLater(AutoCloseable c) {
        extras.add(c);
    }

    /**
     * Mounts. blocking=true serves until unmounted (the CLI); false returns once the mount is
     * visible (tests).
     */
    public void mount(boolean blocking) throws Exception {
        // Check for a stale mount before touching the directory: stat on it fails with ENOTCONN.
        if (MountTable.fuseSourceAt(mountPoint) != null) {
            // A killed daemon leaves "Transport endpoint is not connected"; a live one is a mistake.
            Staleness st = staleness();
            if (st == Staleness.NOT_ANSWERING) {
                throw new IllegalStateException(mountPoint + " is served by a daemon that does not answer ("
                        + MountTable.fuseSourceAt(mountPoint) + "; stopped?): resume or kill it, or detach the mount "
                        + "with 'fusermount -u -z " + mountPoint + "'");
            }
            if (st == Staleness.STALE) {
                LOG.warning("clearing stale mount at " + mountPoint);
                MountTable.unmount(mountPoint, true);
            } else {
                throw new IllegalStateException(mountPoint + " is already mounted ("
                        + MountTable.fuseSourceAt(mountPoint) + ")");
            }
        }
        if (Files.exists(mountPoint) && !Files.isDirectory(mountPoint)) {
            throw new IllegalArgumentException("mount point " + mountPoint + " is not a directory");
        }
        Files.createDirectories(mountPoint);
        checker.start();
        if (hotplug != null) {
            hotplug.start();
        }
        LOG.info("mounting " + device().name() + " at " + mountPoint + " (" + device().paths().size()
                + " paths, policy " + device().selector().name() + ", fuse " + transport.name() + ")");
        if (blocking) {
            // Ctrl-C and SIGTERM unmount in order and let main return 0, as "mpathfs umount" does;
            // the shutdown hook covers any other way the JVM goes down. libfuse2's fuse_main
            // installs its own handlers, which only set an exit flag its loop may never see in a
            // JVM (the signal lands on another thread): ours are asserted again once FUSE is up.
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "mpathfs-shutdown"));
            installSignalHandlers();
            transport.mount(mountPoint, true, () -> {
                installSignalHandlers();
                serving();
            });
            close(); // returns here after "mpathfs umount" / fusermount -u
        } else {
            transport.mount(mountPoint, false, this::serving);
            if (!MountTable.await(mountPoint, true, 10_000)) {
                close();
                throw new IllegalStateException("mount at " + mountPoint + " did not appear");
            }
        }
    }

    /** FUSE INIT answered: the kernel connection is up. Scripts and tests wait for this line. */
    private void serving() {
        LOG.info("serving " + device().name() + " at " + mountPoint);
    }

    private void installSignalHandlers() {
        for (String sig : new String[] {"INT", "TERM", "HUP"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> new Thread(this::close, "mpathfs-" + sig).start());
        }
    }

    private enum Staleness { LIVE, STALE, NOT_ANSWERING }

    /**
     * Whether the FUSE mount at the mount point is served: its daemon answers (LIVE), the mount
     * fails because its daemon is gone (STALE, e.g. ENOTCONN), or it does not answer within a few
     * seconds (a stopped or hung daemon: asking again would hang this process too). The question
     * is an opendir, which the kernel always sends to the daemon: a stat would be answered from
     * the kernel's attribute cache for a second after anyone's last look at the mount, and call a
     * stopped daemon live.
     */
    private Staleness staleness() {
        java.util.concurrent.CompletableFuture<Staleness> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (java.nio.file.DirectoryStream<Path> ignored = Files.newDirectoryStream(mountPoint)) {
                f.complete(Staleness.LIVE);
            } catch (java.nio.file.NotDirectoryException | java.nio.file.AccessDeniedException e) {
                f.complete(Staleness.LIVE); // a FUSE root that is a file, or a refusal: something answers
            } catch (java.io.IOException e) {
                f.complete(Staleness.STALE);
            }
        }, "mpathfs-stat");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return Staleness.NOT_ANSWERING;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            Thread.currentThread().interrupt();
            return Staleness.NOT_ANSWERING;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        checker.close();
        if (hotplug != null) {
            hotplug.close();
        }
        try {
            transport.umount();
            MountTable.await(mountPoint, false, 5_000);
        } catch (Exception e) {
            LOG.warning("umount " + mountPoint + ": " + e);
        }
        for (int i = extras.size() - 1; i >= 0; i--) {
            try {
                extras.get(i).close();
            } catch (Exception e) {
                LOG.warning("close: " + e);
            }
        }
        files.close();
        LOG.info("unmounted " + mountPoint);
    }
}
