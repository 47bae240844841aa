package io.mpathfs.control.testsupport;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.sim.SimPath;
import java.util.function.Predicate;

/**
 * A sim path whose SCSI channel runs a hook once, just before the first command matching a
 * predicate: the way to land another host's command between two of the coordinator's steps.
 */
public final class HookedPath extends InterposedSimPath {
    public volatile Predicate<byte[]> when = c -> false;
    public volatile Runnable hook = () -> { };

    public HookedPath(SimPath inner) {
        super(inner);
    }

    @Override
    protected ScsiResult interpose(ScsiChannel real, byte[] cdb, Direction dir, byte[] data, int timeoutMs)
            throws PathException {
        if (when.test(cdb)) {
            Runnable h = hook;
            hook = () -> { };
            when = c -> false;
            h.run();
        }
        return real.execute(cdb, dir, data, timeoutMs);
    }

    public static boolean isPrOut(byte[] cdb, int serviceAction) {
        return (cdb[0] & 0xff) == 0x5f && (cdb[1] & 0x1f) == serviceAction;
    }
}
