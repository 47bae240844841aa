package io.mpathfs.control.dst;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.control.testsupport.InterposedSimPath;

/**
 * One of our sim paths whose SCSI command channel (the one the PR coordinator uses) gives the
 * scheduler a turn just before and just after every command: the moments where, in the daemon,
 * other hosts, path faults and IO threads can come between two of the coordinator's steps.
 */
final class InterleavedPath extends InterposedSimPath {
    /** The scheduler's turn; {@code after} is true once the command has run on the target. */
    interface Turn {
        void between(String path, byte[] cdb, boolean after);
    }

    private final Turn turn;

    InterleavedPath(SimPath inner, Turn turn) {
        super(inner);
        this.turn = turn;
    }

    @Override
    protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
            throws PathException {
        turn.between(name(), cdb, false);
        try {
            return real.execute(cdb, dir, data, timeoutMs);
        } finally {
            turn.between(name(), cdb, true);
        }
    }
}
