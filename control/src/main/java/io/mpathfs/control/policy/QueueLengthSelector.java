package io.mpathfs.control.policy;

import java.util.List;

/** The path with the fewest IOs in flight (dm's queue-length); ties go to the earlier path. */
public final class QueueLengthSelector implements PathSelector {
    @Override
    public String name() {
        return "queue-length";
    }

    @Override
    public <P extends PathLoad> P select(List<P> usable, int nrBytes) {
        P best = usable.get(0);
        for (P p : usable) {
            if (p.inFlight() < best.inFlight()) {
                best = p;
            }
        }
        return best;
    }
}
