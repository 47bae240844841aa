package io.mpathfs.control.policy;

import io.mpathfs.control.PathEntry;
import java.util.List;

/** The path with the fewest IOs in flight (dm's queue-length); ties go to the earlier path. */
public final class QueueLengthSelector implements PathSelector {
    @Override
    public String name() {
        return "queue-length";
    }

    @Override
    public PathEntry select(List<PathEntry> usable, int nrBytes) {
        PathEntry best = usable.get(0);
        for (PathEntry p : usable) {
            if (p.inFlight() < best.inFlight()) {
                best = p;
            }
        }
        return best;
    }
}
