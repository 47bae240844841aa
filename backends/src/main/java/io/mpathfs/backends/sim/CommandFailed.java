package io.mpathfs.backends.sim;

import io.mpathfs.backends.scsi.ScsiResult;

/**
 * Ends a command early with a SCSI answer (CHECK CONDITION …). Internal control flow only: the LU
 * turns it back into the {@link ScsiResult} before anything leaves {@link SimLogicalUnit#execute}.
 */
final class CommandFailed extends Exception {
    private final transient ScsiResult result;

    CommandFailed(ScsiResult result) {
        super(result.describe(), null, false, false);
        this.result = result;
    }

    ScsiResult result() {
        return result;
    }
}
