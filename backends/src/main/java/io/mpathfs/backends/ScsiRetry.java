package io.mpathfs.backends;

import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.UnitAttentionListener;

/**
 * Runs a command with the retries a SCSI midlayer gives: UNIT ATTENTION (each one reported to the
 * listener: the PR coordinator needs 2A/xx), BUSY, TASK SET FULL, ABORTED COMMAND — at most
 * {@link #MAX_RETRIES} times, as sd.c does for PR commands. Returns the final result, failed or not.
 */
public final class ScsiRetry {
    public static final int MAX_RETRIES = 5;

    private ScsiRetry() {
    }

    public static ScsiResult execute(ScsiChannel ch, UnitAttentionListener listener, byte[] cdb, Direction dir,
                                     byte[] data, int timeoutMs) throws PathException {
        ScsiResult r = null;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            r = ch.execute(cdb, dir, data, timeoutMs);
            if (r.isUnitAttention() && listener != null) {
                listener.unitAttention(r.asc(), r.ascq());
            }
            if (ErrorClassifier.ofScsi(r) != ErrorClass.RETRY) {
                return r;
            }
        }
        return r;
    }
}
