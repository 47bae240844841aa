package io.mpathfs.control;

import java.util.List;

/**
 * The last resort before IO waits or fails for lack of paths: one checker round over the failed
 * paths (a path may have come back since the checker last looked). One round serves every IO that
 * found no path before it started.
 */
final class LastResortProbe {
    private final List<PathEntry> paths;
    private final PathTransitions transitions;
    private final Object lock = new Object();
    /** When the last round started (System.nanoTime); guarded by lock. */
    private long lastStarted = Long.MIN_VALUE;

    LastResortProbe(List<PathEntry> paths, PathTransitions transitions) {
        this.paths = paths;
        this.transitions = transitions;
    }

    /** Probes the failed paths unless a round started after noPathSince; true when some path is usable after it. */
    boolean probeFailedPaths(long noPathSince) {
        synchronized (lock) {
            if (lastStarted < noPathSince) {
                lastStarted = System.nanoTime();
                for (PathEntry p : paths) {
                    if (p.state() == PathState.FAILED) {
                        transitions.checkPath(p);
                    }
                }
            }
        }
        for (PathEntry p : paths) {
            if (p.usable()) {
                return true;
            }
        }
        return false;
    }
}
