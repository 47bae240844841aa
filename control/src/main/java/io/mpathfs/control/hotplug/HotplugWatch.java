package io.mpathfs.control.hotplug;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsidevice.PathDiscovery;
import io.mpathfs.backends.scsidevice.Uevent;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.ctl.CtlException;
import io.mpathfs.control.ctl.PathsControl;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.UeventSocket;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Keeps a device's paths in step with the block devices of its LU, as multipathd does from udev:
 * a disk of that WWID that appears joins, one that disappears (or now shows another LU) leaves.
 * Both go through {@link PathsControl#add} / {@link PathsControl#remove}, so a new path is
 * identity-checked and prepared for PR before it carries IO, and a leaving path's IO in flight
 * fails over. Kernel uevents trigger a rescan at once; a rescan every checker interval is the
 * fallback where uevents do not arrive (no socket, a network namespace without them, a dropped
 * event). The rescans run on one thread, so adds and removes never overlap.
 */
public final class HotplugWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("mpathfs");
    private static final long RECEIVE_MS = 1000;

    private final MultipathDevice device;
    private final PathsControl paths;
    private final String wwid;
    private final PathDiscovery discovery;
    private final Predicate<String> allowed;
    private final ScheduledExecutorService rescans;
    private final AtomicBoolean rescanQueued = new AtomicBoolean();
    /** Devices whose add failed, so each failure is logged once (retried every rescan). */
    private final Set<String> failedAdds = new HashSet<>();
    /** Gone devices kept as the last path, so each is logged once. */
    private final Set<String> keptLast = new HashSet<>();
    private volatile boolean closed;
    private Thread listener;

    public HotplugWatch(MultipathDevice device, PathsControl paths, String wwid, PathDiscovery discovery,
            Predicate<String> allowed) {
        this.device = device;
        this.paths = paths;
        this.wwid = wwid;
        this.discovery = discovery;
        this.allowed = allowed;
        this.rescans = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotplug-" + device.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the interval rescans and, where the kernel lets us open the socket, the uevent listener. */
    public void start() {
        long ms = Math.max(10, device.config().checkerInterval().toMillis());
        rescans.scheduleWithFixedDelay(this::rescanSafely, ms, ms, TimeUnit.MILLISECONDS);
        UeventSocket socket;
        try {
            socket = UeventSocket.open();
        } catch (NativeException | RuntimeException | LinkageError e) {
            LOG.warning(device.name() + ": no kernel uevents (" + e.getMessage() + "); paths of " + wwid
                    + " are looked for every " + ms + " ms");
            return;
        }
        listener = new Thread(() -> listen(socket), "uevents-" + device.name());
        listener.setDaemon(true);
        listener.start();
        LOG.info(device.name() + ": watching for paths of " + wwid + " (uevents, and a rescan every " + ms + " ms)");
    }

    private void listen(UeventSocket socket) {
        try (socket) {
            while (!closed) {
                byte[] raw = socket.receive(RECEIVE_MS);
                if (raw == null) {
                    continue;
                }
                Uevent e = raw.length == 0 ? null : Uevent.parse(raw);
                if (raw.length == 0 || (e != null && e.concernsDisks())) {
                    queueRescan();
                }
            }
        } catch (NativeException e) {
            LOG.warning(device.name() + ": uevent socket failed (" + e.getMessage() + "); rescanning every interval only");
        }
    }

    /** One rescan soon, however many events asked for it meanwhile. */
    private void queueRescan() {
        if (rescanQueued.compareAndSet(false, true)) {
            try {
                rescans.execute(() -> {
                    rescanQueued.set(false);
                    rescanSafely();
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                rescanQueued.set(false);
            }
        }
    }

    private void rescanSafely() {
        try {
            rescan();
        } catch (RuntimeException e) {
            // A watcher that dies silently stops hot-plug for good; log and try again next time.
            LOG.warning(device.name() + ": path rescan failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds every disk of the LU that is not a path yet and removes every path whose disk went; public for tests. */
    public void rescan() throws InterruptedException {
        if (closed) {
            return;
        }
        List<String> found;
        try {
            found = discovery.find(wwid, allowed);
        } catch (IOException e) {
            LOG.warning(device.name() + ": cannot list block devices: " + e.getMessage());
            return;
        }
        for (String dev : found) {
            if (device.find(dev) == null) {
                add(dev);
            }
        }
        failedAdds.retainAll(found);
        for (PathEntry p : device.paths()) {
            String kernelName = kernelDiskName(p.name());
            if (kernelName != null && !found.contains(p.name()) && !discovery.isPathOf(kernelName, wwid)) {
                remove(p.name());
            }
        }
    }

    private void add(String dev) {
        try {
            String answer = paths.add(dev);
            failedAdds.remove(dev);
            LOG.info(device.name() + ": hot-plug: " + dev + " of " + wwid + " appeared: " + answer);
        } catch (CtlException | PathException e) {
            if (failedAdds.add(dev)) {
                LOG.warning(device.name() + ": hot-plug: " + dev + " of " + wwid + " appeared but was not added: "
                        + e.getMessage() + " (tried again every rescan)");
            }
        }
    }

    private void remove(String dev) throws InterruptedException {
        try {
            paths.remove(dev);
            keptLast.remove(dev);
            LOG.info(device.name() + ": hot-plug: " + dev + " disappeared: removed");
        } catch (CtlException e) {
            // The last path stays (failed): it is the device's only way back to the LU.
            if (keptLast.add(dev)) {
                LOG.warning(device.name() + ": hot-plug: " + dev + " disappeared but stays: " + e.getMessage());
            }
        }
    }

    /** "sdc" for a path named /dev/sdc; null for paths hot-plug does not manage (files, loop devices). */
    private static String kernelDiskName(String pathName) {
        return pathName.matches("/dev/sd[a-z]+") ? pathName.substring(5) : null;
    }

    @Override
    public void close() {
        closed = true;
        rescans.shutdownNow();
        Thread t = listener;
        if (t != null) {
            try {
                t.join(2 * RECEIVE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
