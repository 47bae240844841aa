package io.mpathfs.control.policy;

import io.mpathfs.control.PathEntry;
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
    public PathEntry select(List<PathEntry> usable, int nrBytes) {
        return usable.get((int) Math.floorMod(next.getAndIncrement(), (long) usable.size()));
    }
}
