package io.mpathfs.control.policy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each IO to the next usable path in turn. */
public final class RoundRobinSelector implements PathSelector {
    private final AtomicLong next = new AtomicLong();

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public <P extends PathLoad> P select(List<P> usable, int nrBytes) {
        return usable.get((int) Math.floorMod(next.getAndIncrement(), (long) usable.size()));
    }
}
