package io.mpathfs.control;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.nativeshim.Errno;
import java.util.List;

/**
 * The logical unit a device's paths lead to: its identifier and capacity, and the check that
 * another path leads to the same one.
 */
final class LogicalUnit {
    private final String identity;
    private final long size;

    private LogicalUnit(String identity, long size) {
        this.identity = identity;
        this.size = size;
    }

    /** The LU behind the device's first paths: the first one's identifier, the capacity any one reads. */
    static LogicalUnit of(List<DevicePath> initial) throws PathException {
        String identity = initial.get(0).identity();
        return new LogicalUnit(identity, capacityOfAny(initial));
    }

    String identity() {
        return identity;
    }

    long size() {
        return size;
    }

    /**
     * The LU's capacity from the first path that answers. Under an exclusive-access reservation a
     * non-holder nexus gets a reservation conflict for READ CAPACITY (LIO does not exempt it), and a
     * path may be down at start: neither stops the device while some path answers.
     */
    private static long capacityOfAny(List<DevicePath> initial) throws PathException {
        PathException first = null;
        for (DevicePath p : initial) {
            try {
                return p.sizeBytes();
            } catch (PathException e) {
                if (e.errorClass() != ErrorClass.RESERVATION_CONFLICT && !e.isPathFailure()) {
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new PathException(first.errorClass(), first.errno(),
                "no path answers READ CAPACITY: " + first.getMessage(), first.scsi(), first);
    }

    /**
     * Refuses a path to another LU (serving IO through it would be silent data corruption) and a
     * path whose capacity differs. A path whose capacity cannot be read for a reservation conflict
     * is the same LU by its identifier: the conflict is PR information, not a mismatch.
     */
    void checkSameLu(DevicePath p) throws PathException {
        String id = p.identity();
        if (!identity.equals(id)) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL,
                    "path " + p.name() + " is a different logical unit: its identifier is " + id
                            + ", the device's is " + identity);
        }
        long pathSize;
        try {
            pathSize = p.sizeBytes();
        } catch (PathException e) {
            if (e.errorClass() == ErrorClass.RESERVATION_CONFLICT) {
                return;
            }
            throw e;
        }
        if (pathSize != size) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL,
                    "path " + p.name() + " has size " + pathSize + ", the device has " + size);
        }
    }
}
