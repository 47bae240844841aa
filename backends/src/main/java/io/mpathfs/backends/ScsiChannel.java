package io.mpathfs.backends;

import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;

/**
 * Sends one CDB down one path (one I_T nexus). The SG_IO device path and the embedded target's
 * paths both implement it, so the PR coordinator cannot tell them apart.
 */
public interface ScsiChannel {
    int DEFAULT_TIMEOUT_MS = 30_000;

    /**
     * @param data TO_DEVICE: the parameter data; FROM_DEVICE: filled in (length = allocation
     *             length); null for NONE
     * @return the status the device gave (any status, including CHECK CONDITION)
     * @throws PathException (PATH_FAILURE) only when the command could not be delivered or
     *                       completed: transport down, ioctl failure, timeout
     */
    ScsiResult execute(byte[] cdb, Direction dir, byte[] data, int timeoutMs) throws PathException;
}
