package io.mpathfs.backends;

/**
 * What an IO or command failure means to the multipath layer. Decided in one place,
 * {@link ErrorClassifier}; everyone else only switches on this.
 */
public enum ErrorClass {
    /** Transport, host, driver, NOT READY, timeout: fail the path, retry the IO on another one. */
    PATH_FAILURE,
    /** RESERVATION CONFLICT (status 0x18, EBADE): not a path failure; the caller gets EBADE. */
    RESERVATION_CONFLICT,
    /** UNIT ATTENTION, BUSY, TASK SET FULL, ABORTED COMMAND: retry the command on the same path (bounded). */
    RETRY,
    /** MEDIUM ERROR, ILLEGAL REQUEST, DATA PROTECT and friends: the caller gets the error, the path stays. */
    TARGET_ERROR
}
