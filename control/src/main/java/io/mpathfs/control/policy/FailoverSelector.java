package io.mpathfs.control.policy;

import io.mpathfs.control.PathEntry;
import java.util.List;

/**
 * One active path at a time, the others standby (multipath's failover grouping): stays on the
 * current path while it is usable, else moves to the first usable path in order. Sticky, so a
 * reinstated path does not pull IO back (no failback ping-pong).
 */
public final class FailoverSelector implements PathSelector {
    private volatile PathEntry current;

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public PathEntry select(List<PathEntry> usable, int nrBytes) {
        PathEntry c = current;
        if (c != null && usable.contains(c)) {
            return c;
        }
        c = usable.get(0);
        current = c;
        return c;
    }
}
