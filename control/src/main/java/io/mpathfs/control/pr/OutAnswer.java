package io.mpathfs.control.pr;

import io.mpathfs.backends.scsi.ScsiResult;

/**
 * What one PR OUT sent down one path came to: the device's answer, good or not, or — when the path
 * could not carry it (the path is failed then) — EIO, since no device answered.
 *
 * @param result  the device's answer; null when the path failed
 * @param noAnswer the EIO result when the path failed; null when the device answered
 */
record OutAnswer(ScsiResult result, PrResult noAnswer) {
    boolean answered() {
        return noAnswer == null;
    }

    boolean good() {
        return answered() && result.isGood();
    }

    /** For an answer that is not good: EIO when the path failed, else the device's answer to what. */
    PrResult failure(String what) {
        return answered() ? PrResult.fromDevice(result, what) : noAnswer;
    }
}
