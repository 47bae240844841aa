package io.mpathfs.control;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathEventListener;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.UnitAttentionCode;
import io.mpathfs.control.policy.PathSelector;
import io.mpathfs.control.policy.PathSelectors;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * A multipath device: several paths to one logical unit behind one block interface. Spreads IO
 * over usable paths by the policy, fails a path on a transport error and retries the IO on another
 * one, queues IO while no path is usable (no_path_retry), and returns a reservation conflict to the
 * caller as EBADE without failing the path. Offsets and lengths given here are block-aligned; see
 * {@link io.mpathfs.control.io.BlockAligner} for byte-granular IO.
 *
 * <p>This class holds the device's state and is the one entry point; the work is done by
 * {@link IoSubmitter} (one IO to its answer), {@link PathRouter} (which path it takes) and
 * {@link PathTransitions} (paths failing, coming back, joining and leaving).
 */
public final class MultipathDevice implements AutoCloseable {
    static final Logger LOG = Logger.getLogger("mpathfs");

    private final String name;
    private final CopyOnWriteArrayList<PathEntry> paths = new CopyOnWriteArrayList<>();
    private final IoGate gate = new IoGate();
    private final PathsChanged pathsChanged = new PathsChanged();
    private final LogicalUnit lu;
    private final int blockSize;
    private final AluaGroups alua;
    private final PathTransitions transitions;
    private final IoSubmitter io;
    private volatile DeviceConfig config;
    private volatile PathSelector selector;
    private volatile PathLifecycle lifecycle = PathLifecycle.NONE;
    private volatile boolean closed;

    public MultipathDevice(String name, List<DevicePath> initial, DeviceConfig config) throws PathException {
        if (initial.isEmpty()) {
            throw new IllegalArgumentException("a multipath device needs at least one path");
        }
        this.name = name;
        this.config = config;
        this.selector = PathSelectors.create(config.policy());
        this.alua = new AluaGroups(name, config.alua(), this::unitAttention, p -> lifecycle.pathGroupChanged(p));
        this.lu = LogicalUnit.of(initial);
        int bs = 0;
        Set<String> names = new HashSet<>();
        for (DevicePath p : initial) {
            if (!names.add(p.name())) {
                throw new PathException(ErrorClass.TARGET_ERROR, Errno.EEXIST, "path " + p.name() + " is given twice");
            }
            lu.checkSameLu(p);
            bs = Math.max(bs, p.blockSize());
        }
        this.blockSize = bs;
        for (DevicePath p : initial) {
            PathEntry e = new PathEntry(p);
            p.setEventListener(listenerFor(e));
            paths.add(e);
        }
        this.transitions = new PathTransitions(this, paths, alua, lu);
        this.io = new IoSubmitter(this, paths, alua, gate, new PathRouter(this, paths, alua), transitions,
                pathsChanged);
    }

    PathEventListener listenerFor(PathEntry e) {
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

    /** Re-reads the target port groups if a unit attention or a refusal made them stale. */
    public void refreshAluaIfStale() {
        alua.refreshIfStale(paths());
    }

    public AluaGroups alua() {
        return alua;
    }

    public String name() {
        return name;
    }

    public String identity() {
        return lu.identity();
    }

    public long size() {
        return lu.size();
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

    boolean closed() {
        return closed;
    }

    // ---------------------------------------------------------------- IO

    public void read(long offset, AlignedBuffer buf, int length) throws DeviceIoException {
        io.submit(false, length, p -> p.read(offset, buf, length), "read", offset);
    }

    public void write(long offset, AlignedBuffer buf, int length) throws DeviceIoException {
        io.submit(true, length, p -> p.write(offset, buf, length), "write", offset);
    }

    /**
     * Flushes every path a write may go down now (the usable paths as the PR routing narrows them
     * for writes: under write-exclusive or exclusive-access only the holder nexus writes, so only it
     * is flushed and the others' reservation conflicts never reach fsync). A write that went down
     * another path earlier was completed by an O_DIRECT write to a target that flushes its
     * own cache on SYNCHRONIZE CACHE from any nexus.
     */
    public void flush() throws DeviceIoException {
        io.flush();
    }

    /** Wakes IO queued for a path (a path came back, routing changed). */
    public void signalPathsChanged() {
        pathsChanged.signalAll();
    }

    // ---------------------------------------------------------------- path state

    /** Marks a path FAILED (IO error or checker) and tells the PR coordinator. */
    public void failPath(PathEntry p, String why) {
        transitions.failPath(p, why);
    }

    /** Admin "fail DEV": failed and kept failed by the checker until "reinstate DEV". */
    public void adminFail(String pathName) {
        transitions.adminFail(pathName);
    }

    /**
     * Admin "reinstate DEV": probes the path, lets the coordinator prepare it (registration), then
     * makes it ACTIVE.
     */
    public void adminReinstate(String pathName) throws PathException {
        transitions.adminReinstate(pathName);
    }

    /** One checker probe of one path. */
    void checkPath(PathEntry p) {
        transitions.checkPath(p);
    }

    /**
     * Adds a path at run time: same LU and size, prepared by the coordinator, then ACTIVE. A path
     * of the right LU that fails while being prepared is kept, FAILED: its REGISTER may already
     * have reached the LU, and only a path we keep is brought in line (registered, or its stale
     * key removed) when it answers again — a dropped one would leave a key on a nexus nobody
     * tracks, which one device never shows.
     */
    public PathEntry addPath(DevicePath path) throws PathException {
        return transitions.addPath(path);
    }

    /** Removes a path: no new IO goes to it, in-flight IO completes, then it is closed. */
    public void removePath(String pathName) throws InterruptedException {
        transitions.removePath(pathName);
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
