package io.mpathfs.control;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.nativeshim.Errno;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Carries one IO of the device to an answer: sends it down the path the router chooses, retries a
 * UNIT ATTENTION/BUSY on the same path, fails a path on a transport error and tries another, follows
 * the target port groups when a port refuses, and waits while no path may carry it (a transitioning
 * group, a reservation on the move, no_path_retry). A reservation conflict and a target error end
 * the IO with an errno; neither fails the path.
 */
final class IoSubmitter {
    /** Same-path retries for UNIT ATTENTION/BUSY before the path counts as failed. */
    private static final int MAX_RETRIES = 5;
    /** How long IO waits for a transitioning target port group (scsi_dh_alua's failover timeout). */
    private static final long TRANSITION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long IO waits between looks while a group transitions or a reservation moves. */
    private static final long SHORT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What one IO does on one path. */
    @FunctionalInterface
    interface PathOp {
        void run(DevicePath p) throws PathException;
    }

    private final MultipathDevice device;
    private final List<PathEntry> paths;
    private final AluaGroups alua;
    private final IoGate gate;
    private final PathRouter router;
    private final PathTransitions transitions;
    private final LastResortProbe lastResort;
    private final PathsChanged pathsChanged;

    IoSubmitter(MultipathDevice device, List<PathEntry> paths, AluaGroups alua, IoGate gate, PathRouter router,
            PathTransitions transitions, PathsChanged pathsChanged) {
        this.device = device;
        this.paths = paths;
        this.alua = alua;
        this.gate = gate;
        this.router = router;
        this.transitions = transitions;
        this.lastResort = new LastResortProbe(paths, transitions);
        this.pathsChanged = pathsChanged;
    }

    /**
     * Flushes the paths the router lets writes take now (see {@link MultipathDevice#flush()} for
     * why those are enough): a path failure fails the path, the first other error is the answer.
     */
    void flush() throws DeviceIoException {
        DeviceIoException firstError = null;
        int flushed = 0;
        enterGate();
        List<PathEntry> targets;
        try {
            targets = router.writablePaths();
        } finally {
            gate.leave();
        }
        for (PathEntry p : targets) {
            try {
                p.path().flush();
                flushed++;
            } catch (PathException e) {
                if (e.isPathFailure()) {
                    transitions.failPath(p, e.getMessage());
                } else if (e.isReservationConflict()) {
                    device.lifecycle().reservationConflict(p, true);
                    if (firstError == null) {
                        firstError = new DeviceIoException(Errno.EBADE, "flush via " + p.name()
                                + ": reservation conflict", e);
                    }
                } else if (firstError == null) {
                    firstError = new DeviceIoException(e.errno(), e.getMessage(), e);
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
        if (flushed == 0) {
            // Nothing flushed: route through submit so the no-path policy (queue/fail) applies.
            submit(true, 0, DevicePath::flush, "flush", 0);
        }
    }

    void submit(boolean write, int length, PathOp op, String what, long offset) throws DeviceIoException {
        int retries = 0;
        long noPathSince = 0;
        long transitionSince = 0;
        int aluaMoves = 0;
        boolean lastResortTried = false;
        while (true) {
            alua.refreshIfStale(paths);
            enterGate();
            PathEntry p;
            try {
                p = router.choose(write, length);
                if (p != null) {
                    noPathSince = 0;
                    p.startIo(length);
                    if (!p.usable()) {
                        // Failed between the choice and now: an IO on a failed path is one that
                        // was in flight when it failed, never one started after.
                        p.abandonIo(length);
                        continue;
                    }
                    long t0 = System.nanoTime();
                    boolean ok = false;
                    try {
                        op.run(p.path());
                        ok = true;
                        return;
                    } catch (PathException e) {
                        // Bounded: a port that keeps refusing although the groups say it may carry
                        // IO is a failing path after all.
                        if (aluaMoves++ < 4 * paths.size() + 8 && movedByAlua(p, e)) {
                            continue;
                        }
                        p.recordError(e.getMessage());
                        switch (e.errorClass()) {
                            case PATH_FAILURE -> transitions.failPath(p, e.getMessage());
                            case RETRY -> {
                                if (++retries > MAX_RETRIES) {
                                    transitions.failPath(p, "retries exhausted: " + e.getMessage());
                                    retries = 0;
                                }
                            }
                            case RESERVATION_CONFLICT -> {
                                device.lifecycle().reservationConflict(p, write);
                                throw new DeviceIoException(Errno.EBADE, what + " at " + offset + " via "
                                        + p.name() + ": reservation conflict", e);
                            }
                            case TARGET_ERROR -> throw new DeviceIoException(e.errno(), e.getMessage(), e);
                            default -> throw new IllegalStateException(e.errorClass().toString());
                        }
                    } finally {
                        p.endIo(length, System.nanoTime() - t0, ok);
                    }
                    continue;
                }
            } finally {
                gate.leave();
            }
            // No usable path: wait outside the gate, so a PR suspension never waits on queued IO.
            if (alua.enabled()) {
                alua.markStale(); // the next look re-reads the groups: the array may have moved them
                if (alua.transitioning(paths)) {
                    if (transitionSince == 0) {
                        transitionSince = System.nanoTime();
                    }
                    if (System.nanoTime() - transitionSince < TRANSITION_WAIT_NANOS) {
                        awaitTransition();
                        continue;
                    }
                }
            }
            if (device.lifecycle().settling()) {
                awaitSettled();
                continue;
            }
            if (noPathSince == 0) {
                noPathSince = System.nanoTime();
                // Once per IO: a path that answers a probe but fails the IO must not loop forever.
                if (!lastResortTried) {
                    lastResortTried = true;
                    if (lastResort.probeFailedPaths(noPathSince)) {
                        continue;
                    }
                }
            }
            if (!awaitPath(noPathSince)) {
                throw new DeviceIoException(Errno.EIO, what + " at " + offset + ": no usable path to "
                        + device.name() + " (no_path_retry " + device.config().noPathRetry() + ")");
            }
        }
    }

    /**
     * Whether an IO failure on p was its target port group's doing rather than the path's: a NOT
     * READY 04/0A-0C names the group's state, and a transport-level error on a path of an ALUA LU
     * (a block device reports NOT READY as EIO) is checked against the groups read again. Either way
     * the path is not failed and the IO goes to the best group that is left.
     */
    private boolean movedByAlua(PathEntry p, PathException e) {
        if (!alua.enabled()) {
            return false;
        }
        Optional<AluaState> refused = AluaState.refusedBy(e.scsi());
        if (refused.isPresent()) {
            alua.refused(p, refused.get());
            return true;
        }
        if (e.errorClass() == ErrorClass.PATH_FAILURE && alua.refresh(List.copyOf(paths))) {
            PathAlua now = p.alua();
            return now != null && !now.state().active();
        }
        return false;
    }

    private void enterGate() throws DeviceIoException {
        try {
            gate.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceIoException(Errno.EINTR, "interrupted while IO was suspended");
        }
    }

    /** IO waits a little for a transitioning group to settle; the groups are read again after it. */
    private void awaitTransition() throws DeviceIoException {
        pathsChanged.await(SHORT_WAIT_NANOS, "interrupted while a target port group was transitioning");
    }

    /** Waits (bounded) while the PR coordinator moves a reservation; the budget is not consumed. */
    private void awaitSettled() throws DeviceIoException {
        device.lifecycle().awaitingSettle();
        pathsChanged.await(SHORT_WAIT_NANOS, "interrupted while a reservation was moving");
    }

    /** Waits for a path to become usable within the no_path_retry budget; false when it ran out. */
    private boolean awaitPath(long since) throws DeviceIoException {
        DeviceConfig config = device.config();
        NoPathRetry npr = config.noPathRetry();
        if (device.closed()) {
            return false;
        }
        long budgetNanos = npr.queueForever() ? Long.MAX_VALUE
                : npr.intervals() * config.checkerInterval().toNanos();
        long left = budgetNanos == Long.MAX_VALUE ? Long.MAX_VALUE : since + budgetNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        // Wake at least every second to re-check: routing can change without a path event.
        pathsChanged.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), "interrupted while queued with no path");
        return !device.closed();
    }
}
