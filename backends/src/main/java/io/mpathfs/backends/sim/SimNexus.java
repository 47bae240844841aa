package io.mpathfs.backends.sim;

import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.nativeshim.Errno;

/**
 * One I_T nexus of the simulated target as a {@link ScsiChannel}: raw CDBs in, device answers out.
 * Carries the transport faults a test can inject: offline (the command never reaches the LU:
 * {@link PathException} PATH_FAILURE, as SG_IO reports a dead transport) and added latency per
 * command (spent inside the task set, so a PREEMPT AND ABORT from another nexus ends the waiting
 * command with TASK ABORTED, and a latency at or above the command timeout times it out).
 */
public final class SimNexus implements ScsiChannel {
    private final SimLogicalUnit lu;
    private final NexusId id;
    private final String name;
    private volatile boolean online = true;
    private volatile int latencyMs;

    SimNexus(SimLogicalUnit lu, NexusId id, String name) {
        this.lu = lu;
        this.id = id;
        this.name = name;
        lu.attach(id);
    }

    /** Short name: host letter and relative target port, "A1", "B2". */
    public String name() {
        return name;
    }

    public NexusId id() {
        return id;
    }

    public boolean online() {
        return online;
    }

    public void setOnline(boolean online) {
        this.online = online;
    }

    public int latencyMs() {
        return latencyMs;
    }

    public void setLatencyMs(int ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("latency must not be negative: " + ms);
        }
        this.latencyMs = ms;
    }

    @Override
    public ScsiResult execute(byte[] cdb, Direction dir, byte[] data, int timeoutMs) throws PathException {
        if (!online) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, name + ": transport offline");
        }
        int latency = latencyMs;
        if (latency == 0) {
            return lu.execute(id, cdb, dir, data);
        }
        long epoch = lu.abortEpoch(id);
        boolean timesOut = timeoutMs > 0 && latency >= timeoutMs;
        try {
            Thread.sleep(timesOut ? timeoutMs : latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, name + ": interrupted", null, e);
        }
        if (timesOut) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, name + ": command timed out after "
                    + timeoutMs + " ms");
        }
        if (!online) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO, name + ": transport went offline");
        }
        return lu.execute(id, cdb, dir, data, epoch);
    }

    @Override
    public String toString() {
        return name + " (" + id + ")";
    }
}
