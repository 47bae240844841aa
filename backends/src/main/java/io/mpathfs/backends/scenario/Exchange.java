package io.mpathfs.backends.scenario;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.Map;

/**
 * The runner's side of the wire: named I_T nexuses and the few commands the runner itself sends
 * (cleanup, checks). Failures to send or unexpected answers become {@link StepFailed} with a
 * sentence that ends up in the report.
 */
final class Exchange {
    static final int TIMEOUT_MS = 20_000;

    private final Map<String, ScsiChannel> channels;

    Exchange(Map<String, ScsiChannel> channels) {
        this.channels = channels;
    }

    /** Ends a scenario with the first difference. */
    static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message);
        }
    }

    Map<String, ScsiChannel> channels() {
        return channels;
    }

    ScsiResult send(String nexus, byte[] cdb, Direction dir, byte[] data) throws StepFailed {
        ScsiChannel ch = channels.get(nexus);
        if (ch == null) {
            throw new StepFailed("nexus " + nexus + " is not mapped");
        }
        try {
            return ch.execute(cdb, dir, data, TIMEOUT_MS);
        } catch (PathException e) {
            throw new StepFailed(nexus + ": transport error: " + e.getMessage());
        }
    }

    ScsiResult out(String nexus, PrOut.Request r) throws StepFailed {
        return send(nexus, r.cdb(), Direction.TO_DEVICE, r.params());
    }

    /** PR IN data, which must come back GOOD. */
    byte[] prIn(String nexus, PrInAction a) throws StepFailed {
        byte[] data = new byte[PrIn.defaultAllocation(a)];
        ScsiResult r = send(nexus, PrIn.cdb(a), Direction.FROM_DEVICE, data);
        if (!r.isGood()) {
            throw new StepFailed(nexus + ": PERSISTENT RESERVE IN " + a + " answered " + r.describe());
        }
        return data;
    }

    ScsiResult tur(String nexus) throws StepFailed {
        return send(nexus, Cdb.testUnitReady(), Direction.NONE, null);
    }

    /** TEST UNIT READY until GOOD: clears whatever unit attentions the nexus has pending. */
    void drain(String nexus) throws StepFailed {
        ScsiResult r = null;
        for (int i = 0; i < 8; i++) {
            r = tur(nexus);
            if (r.isGood()) {
                return;
            }
            if (!r.isUnitAttention()) {
                break;
            }
        }
        throw new StepFailed(nexus + ": TEST UNIT READY keeps answering " + r.describe());
    }

    void drainAll() throws StepFailed {
        for (String n : channels.keySet()) {
            drain(n);
        }
    }
}
