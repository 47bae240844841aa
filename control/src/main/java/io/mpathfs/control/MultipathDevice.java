package io.mpathfs.control;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathEventListener;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.UnitAttentionCode;
import io.mpathfs.control.policy.PathSelector;
import io.mpathfs.control.policy.PathSelectors;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * A multipath device: several paths to one logical unit behind one block interface. Spreads IO
 * over usable paths by the policy, fails a path on a transport error and retries the IO on another
 * one, queues IO while no path is usable (no_path_retry), and returns a reservation conflict to the
 * caller as EBADE without failing the path. Offsets and lengths given here are block-aligned; see
 * {@link io.mpathfs.control.io.BlockAligner} for byte-granular IO.
 */
public final class MultipathDevice implements AutoCloseable {
    static final Logger LOG = Logger.getLogger("mpathfs");
    /** Same-path retries for UNIT ATTENTION/BUSY before the path counts as failed. */
    private static final int MAX_RETRIES = 5;
    /** How long IO waits for a transitioning target port group (scsi_dh_alua's failover timeout). */
    private static final long TRANSITION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final CopyOnWriteArrayList<PathEntry> paths = new CopyOnWriteArrayList<>();
    private final IoGate gate = new IoGate();
    private final ReentrantLock pathLock = new ReentrantLock();
    private final Condition pathsChanged = pathLock.newCondition();
    private final String identity;
    private final long size;
    private final int blockSize;
    private final AluaGroups alua;
    private volatile DeviceConfig config;
    private volatile PathSelector selector;
    private volatile PathLifecycle lifecycle = PathLifecycle.NONE;
    private volatile boolean closed;
    private final Object lastResortLock = new Object();
    /** When the last last-resort probe round started (System.nanoTime); guarded by lastResortLock. */
    private long lastResortStarted = Long.MIN_VALUE;

    public MultipathDevice(String name, List<DevicePath> initial, DeviceConfig config) throws PathException {
        if (initial.isEmpty()) {
            throw new IllegalArgumentException("a multipath device needs at least one path");
        }
        this.name = name;
        this.config = config;
        this.selector = PathSelectors.create(config.policy());
        this.alua = new AluaGroups(name, config.alua(), this::unitAttention, p -> lifecycle.pathGroupChanged(p));
        DevicePath first = initial.get(0);
        this.identity = first.identity();
        this.size = capacityOfAny(initial);
        int bs = 0;
        Set<String> names = new HashSet<>();
        for (DevicePath p : initial) {
            if (!names.add(p.name())) {
                throw new PathException(ErrorClass.TARGET_ERROR, Errno.EEXIST, "path " + p.name() + " is given twice");
            }
            checkSameLu(p);
            bs = Math.max(bs, p.blockSize());
        }
        this.blockSize = bs;
        for (DevicePath p : initial) {
            PathEntry e = new PathEntry(p);
            p.setEventListener(listenerFor(e));
            paths.add(e);
        }
    }

    /**
     * The LU's capacity from the first path that answers. Under an exclusive-access reservation a
     * non-holder nexus gets a reservation conflict for READ CAPACITY (LIO does not exempt it), and a
     * path may be down at start: neither stops the device while some path answers.
     */
    private static long capacityOfAny(List<DevicePath> initial) throws PathException {
        PathException first = null;
        for (DevicePath p : initial) {
            try {
                return p.sizeBytes();
            } catch (PathException e) {
                if (e.errorClass() != ErrorClass.RESERVATION_CONFLICT && !e.isPathFailure()) {
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new PathException(first.errorClass(), first.errno(),
                "no path answers READ CAPACITY: " + first.getMessage(), first.scsi(), first);
    }

    /**
     * Refuses a path to another LU (serving IO through it would be silent data corruption), a
     * second entry for a path already in the device, and a path whose capacity differs. A path
     * whose capacity cannot be read for a reservation conflict is the same LU by its identifier:
     * the conflict is PR information, not a mismatch.
     */
    private void checkSameLu(DevicePath p) throws PathException {
        String id = p.identity();
        if (!identity.equals(id)) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL,
                    "path " + p.name() + " is a different logical unit: its identifier is " + id
                            + ", the device's is " + identity);
        }
        long pathSize;
        try {
            pathSize = p.sizeBytes();
        } catch (PathException e) {
            if (e.errorClass() == ErrorClass.RESERVATION_CONFLICT) {
                return;
            }
            throw e;
        }
        if (pathSize != size) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL,
                    "path " + p.name() + " has size " + pathSize + ", the device has " + size);
        }
    }

    private PathEventListener listenerFor(PathEntry e) {
        return (path, asc, ascq) -> unitAttention(e, asc, ascq);
    }

    /** Every unit attention a path meets: 2A/06 or 3F/03 makes the groups stale; the coordinator hears them all. */
    private void unitAttention(PathEntry e, int asc, int ascq) {
        if (UnitAttentionCode.isPortGroupChange(asc, ascq)) {
            alua.markStale();
        }
        lifecycle.unitAttention(e, asc, ascq);
    }

    /**
     * Learns the LU's target port groups through the paths (nothing when its INQUIRY says TPGS 0):
     * called once the device is built, before it serves.
     */
    public void discoverAlua() {
        alua.discover(paths());
        signalPathsChanged();
    }

    /** Re-reads the target port groups (each checker round, and on demand). */
    public void refreshAlua() {
        if (alua.enabled()) {
            alua.refresh(paths());
            signalPathsChanged();
        }
    }

    public AluaGroups alua() {
        return alua;
    }

    public String name() {
        return name;
    }

    public String identity() {
        return identity;
    }

    public long size() {
        return size;
    }

    public int blockSize() {
        return blockSize;
    }

    public DeviceConfig config() {
        return config;
    }

    public IoGate gate() {
        return gate;
    }

    public List<PathEntry> paths() {
        return List.copyOf(paths);
    }

    public PathSelector selector() {
        return selector;
    }

    public void setPolicy(String policy) {
        this.selector = PathSelectors.create(policy);
        this.config = config.withPolicy(selector.name());
        LOG.info(name + ": policy " + selector.name());
    }

    public void setLifecycle(PathLifecycle lifecycle) {
        this.lifecycle = lifecycle == null ? PathLifecycle.NONE : lifecycle;
    }

    public PathLifecycle lifecycle() {
        return lifecycle;
    }

    public PathEntry find(String pathName) {
        for (PathEntry p : paths) {
            if (p.name().equals(pathName)) {
                return p;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- IO

    /** What one IO does on one path. */
    @FunctionalInterface
    private interface PathOp {
        void run(DevicePath p) throws PathException;
    }

    public void read(long offset, AlignedBuffer buf, int length) throws DeviceIoException {
        submit(false, length, p -> p.read(offset, buf, length), "read", offset);
    }

    public void write(long offset, AlignedBuffer buf, int length) throws DeviceIoException {
        submit(true, length, p -> p.write(offset, buf, length), "write", offset);
    }

    /**
     * Flushes every path a write may go down now (the usable paths as the PR routing narrows them
     * for writes: under write-exclusive or exclusive-access only the holder nexus writes, so only it
     * is flushed and the others' reservation conflicts never reach fsync). A write that went down
     * another path earlier was completed by an O_DIRECT write to a target that flushes its
     * own cache on SYNCHRONIZE CACHE from any nexus.
     */
    public void flush() throws DeviceIoException {
        DeviceIoException firstError = null;
        int flushed = 0;
        enterGate();
        List<PathEntry> targets;
        try {
            targets = writablePaths();
        } finally {
            gate.leave();
        }
        for (PathEntry p : targets) {
            try {
                p.path().flush();
                flushed++;
            } catch (PathException e) {
                if (e.isPathFailure()) {
                    failPath(p, e.getMessage());
                } else if (e.isReservationConflict()) {
                    lifecycle.reservationConflict(p, true);
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

    /** The usable paths a write may take now. */
    private List<PathEntry> writablePaths() {
        List<PathEntry> usable = new ArrayList<>(paths.size());
        for (PathEntry p : paths) {
            if (p.usable()) {
                usable.add(p);
            }
        }
        return usable.isEmpty() ? usable : alua.best(lifecycle.route(alua.active(usable), true));
    }

    private void submit(boolean write, int length, PathOp op, String what, long offset) throws DeviceIoException {
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
                p = choose(write, length);
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
                            case PATH_FAILURE -> failPath(p, e.getMessage());
                            case RETRY -> {
                                if (++retries > MAX_RETRIES) {
                                    failPath(p, "retries exhausted: " + e.getMessage());
                                    retries = 0;
                                }
                            }
                            case RESERVATION_CONFLICT -> {
                                lifecycle.reservationConflict(p, write);
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
            if (lifecycle.settling()) {
                awaitSettled();
                continue;
            }
            if (noPathSince == 0) {
                noPathSince = System.nanoTime();
                // Once per IO: a path that answers a probe but fails the IO must not loop forever.
                if (!lastResortTried) {
                    lastResortTried = true;
                    if (probeFailedPaths(noPathSince)) {
                        continue;
                    }
                }
            }
            if (!awaitPath(noPathSince)) {
                throw new DeviceIoException(Errno.EIO, what + " at " + offset + ": no usable path to " + name
                        + " (no_path_retry " + config.noPathRetry() + ")");
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
        if (e.errorClass() == ErrorClass.PATH_FAILURE && alua.refresh(paths())) {
            PathAlua now = p.alua();
            return now != null && !now.state().active();
        }
        return false;
    }

    /** IO waits a little for a transitioning group to settle; the groups are read again after it. */
    private void awaitTransition() throws DeviceIoException {
        pathLock.lock();
        try {
            pathsChanged.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceIoException(Errno.EINTR, "interrupted while a target port group was transitioning");
        } finally {
            pathLock.unlock();
        }
    }

    private void enterGate() throws DeviceIoException {
        try {
            gate.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceIoException(Errno.EINTR, "interrupted while IO was suspended");
        }
    }

    /** The path for one IO, or null when none may carry it now. */
    private PathEntry choose(boolean write, int length) {
        List<PathEntry> usable = new ArrayList<>(paths.size());
        for (PathEntry p : paths) {
            if (p.usable()) {
                usable.add(p);
            }
        }
        if (usable.isEmpty()) {
            return null;
        }
        // The reservation's routing first (a WE/EA holder in an active/non-optimized group still
        // carries the IO), then the best group among what it allows.
        List<PathEntry> active = alua.active(usable);
        if (active.isEmpty()) {
            return null;
        }
        List<PathEntry> routed = alua.best(lifecycle.route(active, write));
        return routed.isEmpty() ? null : selector.select(routed, length);
    }

    /**
     * The last resort before IO waits or fails for lack of paths: one checker round over the failed
     * paths (a path may have come back since the checker last looked). One round serves every IO
     * that found no path before it started; true when some path is usable after it.
     */
    private boolean probeFailedPaths(long noPathSince) {
        synchronized (lastResortLock) {
            if (lastResortStarted < noPathSince) {
                lastResortStarted = System.nanoTime();
                for (PathEntry p : paths) {
                    if (p.state() == PathState.FAILED) {
                        checkPath(p);
                    }
                }
            }
        }
        for (PathEntry p : paths) {
            if (p.usable()) {
                return true;
            }
        }
        return false;
    }

    /** Waits for a path to become usable within the no_path_retry budget; false when it ran out. */
    private boolean awaitPath(long since) throws DeviceIoException {
        NoPathRetry npr = config.noPathRetry();
        if (closed) {
            return false;
        }
        long budgetNanos = npr.queueForever() ? Long.MAX_VALUE
                : npr.intervals() * config.checkerInterval().toNanos();
        long left = budgetNanos == Long.MAX_VALUE ? Long.MAX_VALUE : since + budgetNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        pathLock.lock();
        try {
            // Wake at least every second to re-check: routing can change without a path event.
            pathsChanged.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceIoException(Errno.EINTR, "interrupted while queued with no path");
        } finally {
            pathLock.unlock();
        }
        return !closed;
    }

    /** Waits (bounded) while the PR coordinator moves a reservation; the budget is not consumed. */
    private void awaitSettled() throws DeviceIoException {
        lifecycle.awaitingSettle();
        pathLock.lock();
        try {
            pathsChanged.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceIoException(Errno.EINTR, "interrupted while a reservation was moving");
        } finally {
            pathLock.unlock();
        }
    }

    /** Wakes IO queued for a path (a path came back, routing changed). */
    public void signalPathsChanged() {
        pathLock.lock();
        try {
            pathsChanged.signalAll();
        } finally {
            pathLock.unlock();
        }
    }

    // ---------------------------------------------------------------- path state

    /** Marks a path FAILED (IO error or checker) and tells the PR coordinator. */
    public void failPath(PathEntry p, String why) {
        if (p.state() == PathState.ACTIVE) {
            p.setState(PathState.FAILED);
            LOG.warning(name + ": path " + p.name() + " failed: " + why);
            lifecycle.pathFailed(p);
        }
    }

    /** Admin "fail DEV": failed and kept failed by the checker until "reinstate DEV". */
    public void adminFail(String pathName) {
        PathEntry p = require(pathName);
        p.setAdminFailed(true);
        failPath(p, "failed by command");
    }

    /**
     * Admin "reinstate DEV": probes the path, lets the coordinator prepare it (registration), then
     * makes it ACTIVE.
     */
    public void adminReinstate(String pathName) throws PathException {
        PathEntry p = require(pathName);
        p.setAdminFailed(false);
        if (p.state() == PathState.ACTIVE) {
            return;
        }
        p.path().probe();
        if (!reinstate(p)) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO,
                    "path " + pathName + " was not reinstated: " + p.lastError());
        }
    }

    /** The reinstate procedure: coordinator first, then ACTIVE. */
    boolean reinstate(PathEntry p) {
        if (!lifecycle.beforeReinstate(p)) {
            return false;
        }
        p.setState(PathState.ACTIVE);
        LOG.info(name + ": path " + p.name() + " reinstated");
        signalPathsChanged();
        return true;
    }

    /** One checker probe of one path. */
    void checkPath(PathEntry p) {
        if (p.adminFailed() || p.removed()) {
            return;
        }
        p.checkLock().lock();
        try {
            p.path().probe();
            if (p.state() == PathState.FAILED && !p.adminFailed() && !p.removed()) {
                reinstate(p);
            }
        } catch (PathException e) {
            Optional<AluaState> refused = alua.enabled() ? AluaState.refusedBy(e.scsi()) : Optional.empty();
            if (refused.isPresent()) {
                // Not down: the port's group refuses data. A standby port ("ghost", as multipathd's tur
                // checker calls it) answers and takes PR, so a failed one comes back (registered
                // first); unavailable and transitioning ones stay as they are until they answer.
                alua.refused(p, refused.get());
                if (refused.get() == AluaState.STANDBY && p.state() == PathState.FAILED && !p.adminFailed()
                        && !p.removed()) {
                    reinstate(p);
                }
            } else if (e.isPathFailure() && p.state() == PathState.ACTIVE) {
                p.recordError(e.getMessage());
                failPath(p, "checker: " + e.getMessage());
            }
        } finally {
            p.checkLock().unlock();
        }
    }

    /**
     * Adds a path at run time: same LU and size, prepared by the coordinator, then ACTIVE. A path
     * of the right LU that fails while being prepared is kept, FAILED: its REGISTER may already
     * have reached the LU, and only a path we keep is brought in line (registered, or its stale
     * key removed) when it answers again — a dropped one would leave a key on a nexus nobody
     * tracks, which one device never shows.
     */
    public PathEntry addPath(DevicePath path) throws PathException {
        if (find(path.name()) != null) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EEXIST,
                    "path " + path.name() + " is already part of " + name);
        }
        checkSameLu(path);
        PathEntry e = new PathEntry(path);
        e.setState(PathState.FAILED); // not usable until the coordinator says so
        path.setEventListener(listenerFor(e));
        if (alua.enabled()) {
            alua.learnPort(e);
        }
        boolean prepared = lifecycle.beforeAdd(e);
        paths.add(e);
        if (prepared) {
            e.setState(PathState.ACTIVE);
            LOG.info(name + ": path " + path.name() + " added");
        } else {
            LOG.warning(name + ": path " + path.name() + " added as failed (" + e.lastError()
                    + "); it carries IO once it answers and is prepared");
        }
        signalPathsChanged();
        return e;
    }

    /** Removes a path: no new IO goes to it, in-flight IO completes, then it is closed. */
    public void removePath(String pathName) throws InterruptedException {
        PathEntry p = require(pathName);
        p.setRemoved();
        paths.remove(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.path().close();
        LOG.info(name + ": path " + pathName + " removed");
    }

    private PathEntry require(String pathName) {
        PathEntry p = find(pathName);
        if (p == null) {
            throw new IllegalArgumentException("no path " + pathName + " in " + name);
        }
        return p;
    }

    @Override
    public void close() {
        closed = true;
        signalPathsChanged();
        for (PathEntry p : paths) {
            p.path().close();
        }
    }
}
