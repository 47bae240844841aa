package io.mpathfs.control.policy;

import java.util.List;

/**
 * One active path at a time, the others standby (multipath's failover grouping): stays on the
 * current path while it is usable, else moves to the first usable path in order. Sticky, so a
 * reinstated path does not pull IO back (no failback ping-pong).
 */
public final class FailoverSelector implements PathSelector {
    private volatile PathLoad current;

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public <P extends PathLoad> P select(List<P> usable, int nrBytes) {
        PathLoad c = current;
        int i = c == null ? -1 : usable.indexOf(c);
        if (i >= 0) {
            return usable.get(i);
        }
        P first = usable.get(0);
        current = first;
        return first;
    }
}
