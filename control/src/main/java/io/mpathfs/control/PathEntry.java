package io.mpathfs.control;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.control.policy.PathLoad;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One path of a multipath device and everything the device tracks about it: state, counters for
 * ctl/paths and the policies, and the PR coordinator's view of its registration.
 */
public final class PathEntry implements PathLoad {
    private final DevicePath path;
    private volatile PathState state = PathState.ACTIVE;
    private volatile Registration registration = Registration.NO;
    private volatile String lastError = "";
    /** The path's target port group and its state; null when the LU has no ALUA or it is not known yet. */
    private volatile PathAlua alua;
    /** Failed by an admin command: the checker does not reinstate it. */
    private volatile boolean adminFailed;
    private volatile boolean removed;
    private final AtomicLong ioCount = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong inFlightBytes = new AtomicLong();
    /** Throughput estimate for service-time, bytes per microsecond, EWMA. */
    private volatile double throughput = 0;
    /** Serialises probes of this path (the checker's and IO's last-resort round). */
    private final ReentrantLock check = new ReentrantLock();

    public PathEntry(DevicePath path) {
        this.path = path;
    }

    ReentrantLock checkLock() {
        return check;
    }

    public DevicePath path() {
        return path;
    }

    public String name() {
        return path.name();
    }

    public PathState state() {
        return state;
    }

    void setState(PathState s) {
        state = s;
    }

    public Registration registration() {
        return registration;
    }

    public void setRegistration(Registration r) {
        registration = r;
    }

    /** ACTIVE and still part of the device. */
    public boolean usable() {
        return state == PathState.ACTIVE && !removed;
    }

    public PathAlua alua() {
        return alua;
    }

    void setAlua(PathAlua a) {
        alua = a;
    }

    /**
     * Usable, and its port's target port group (if the LU has groups) is active: the path may
     * carry data. A usable path in a standby group still takes PR commands.
     */
    public boolean carriesIo() {
        PathAlua a = alua;
        return usable() && (a == null || a.state().active());
    }

    public boolean adminFailed() {
        return adminFailed;
    }

    void setAdminFailed(boolean b) {
        adminFailed = b;
    }

    public boolean removed() {
        return removed;
    }

    void setRemoved() {
        removed = true;
    }

    public long ioCount() {
        return ioCount.get();
    }

    public long errorCount() {
        return errorCount.get();
    }

    public long bytes() {
        return bytes.get();
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    @Override
    public double throughput() {
        return throughput;
    }

    public String lastError() {
        return lastError;
    }

    void startIo(int nrBytes) {
        inFlight.incrementAndGet();
        inFlightBytes.addAndGet(nrBytes);
    }

    /** An IO counted in flight that was not sent after all. */
    void abandonIo(int nrBytes) {
        inFlight.decrementAndGet();
        inFlightBytes.addAndGet(-nrBytes);
    }

    void endIo(int nrBytes, long nanos, boolean ok) {
        inFlight.decrementAndGet();
        inFlightBytes.addAndGet(-nrBytes);
        ioCount.incrementAndGet();
        if (ok) {
            bytes.addAndGet(nrBytes);
            if (nanos > 0) {
                double sample = nrBytes / Math.max(1.0, nanos / 1000.0);
                double t = throughput;
                throughput = t == 0 ? sample : t * 0.9 + sample * 0.1;
            }
        }
    }

    public void recordError(String message) {
        errorCount.incrementAndGet();
        lastError = message == null ? "" : message;
    }
}
