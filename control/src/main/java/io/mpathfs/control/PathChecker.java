package io.mpathfs.control;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Probes every path every checker interval (multipathd's path checker): an ACTIVE path that does
 * not answer is failed; a FAILED path that answers goes to the device's reinstate procedure, which
 * lets the PR coordinator register it first. Admin-failed paths are left alone.
 */
public final class PathChecker implements AutoCloseable {
    private final MultipathDevice device;
    private final ScheduledExecutorService timer;

    public PathChecker(MultipathDevice device) {
        this.device = device;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checker-" + device.name());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        long ms = Math.max(10, device.config().checkerInterval().toMillis());
        timer.scheduleWithFixedDelay(this::checkAllSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void checkAllSafely() {
        try {
            checkAll();
        } catch (RuntimeException e) {
            // A checker that dies silently is worse than one that logs and tries again next time.
            MultipathDevice.LOG.warning("path checker round failed: " + e);
        }
    }

    /** One round over all paths; public so tests can drive it without waiting. */
    public void checkAll() {
        device.refreshAlua();
        for (PathEntry p : device.paths()) {
            device.checkPath(p);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
