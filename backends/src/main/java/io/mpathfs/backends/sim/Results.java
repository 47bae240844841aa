package io.mpathfs.backends.sim;

import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;

/**
 * The answers the simulated LU gives, named by their meaning. LIO's sense reasons
 * (target_core_transport.c) decide the key and ASC/ASCQ for each.
 */
final class Results {
    private Results() {
    }

    /** 20/00 INVALID COMMAND OPERATION CODE. */
    static ScsiResult invalidOpcode() {
        return ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x20, 0x00);
    }

    /** 24/00 INVALID FIELD IN CDB. */
    static ScsiResult invalidCdbField() {
        return ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x24, 0x00);
    }

    /** 26/00 INVALID FIELD IN PARAMETER LIST. */
    static ScsiResult invalidParameterField() {
        return ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x26, 0x00);
    }

    /** 1A/00 PARAMETER LIST LENGTH ERROR. */
    static ScsiResult parameterListLength() {
        return ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x1a, 0x00);
    }

    /** 21/00 LOGICAL BLOCK ADDRESS OUT OF RANGE. */
    static ScsiResult lbaOutOfRange() {
        return ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x21, 0x00);
    }

    /** 0E/03 INVALID FIELD IN COMMAND INFORMATION UNIT: LIO's answer to a WRITE whose buffer size differs. */
    static ScsiResult invalidCommandIu() {
        return ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x0e, 0x03);
    }

    /**
     * NOT READY 08/00 LOGICAL UNIT COMMUNICATION FAILURE: what LIO answers a RESERVE, RELEASE or
     * CLEAR from an unregistered I_T nexus when no reservation makes it a conflict first.
     */
    static ScsiResult luCommunicationFailure() {
        return ScsiResult.checkCondition(SenseKey.NOT_READY, 0x08, 0x00);
    }

    static ScsiResult conflict() {
        return ScsiResult.RESERVATION_CONFLICT;
    }

    static ScsiResult unitAttention(int asc, int ascq) {
        return ScsiResult.checkCondition(SenseKey.UNIT_ATTENTION, asc, ascq);
    }

    /** TASK ABORTED (TAS=1, LIO's default): a command of ours ended by another nexus's PREEMPT AND ABORT. */
    static ScsiResult taskAborted() {
        return ScsiResult.status(ScsiStatus.TASK_ABORTED);
    }

    static ScsiResult mediumError(int asc, int ascq) {
        return ScsiResult.checkCondition(SenseKey.MEDIUM_ERROR, asc, ascq);
    }

    /**
     * Data-in completion: copies what fits of {@code data} into the initiator's buffer (at most
     * {@code allocation} bytes) and reports the residual of that buffer.
     */
    static ScsiResult dataIn(byte[] data, int allocation, byte[] buffer) {
        if (buffer == null) {
            return ScsiResult.GOOD;
        }
        int n = Math.min(Math.min(data.length, allocation), buffer.length);
        System.arraycopy(data, 0, buffer, 0, n);
        return ScsiResult.good(buffer.length - n);
    }
}
