package io.mpathfs.control.policy;

import java.util.List;

/**
 * The path whose queue would drain first (dm's service-time): estimated time = (bytes in flight +
 * this IO) / measured throughput. Paths without a measurement yet count as the fastest seen, so
 * new paths get tried.
 */
public final class ServiceTimeSelector implements PathSelector {
    @Override
    public String name() {
        return "service-time";
    }

    @Override
    public <P extends PathLoad> P select(List<P> usable, int nrBytes) {
        double fastest = 0;
        for (P p : usable) {
            fastest = Math.max(fastest, p.throughput());
        }
        double fallback = fastest > 0 ? fastest : 1.0;
        P best = null;
        double bestTime = Double.MAX_VALUE;
        for (P p : usable) {
            double tp = p.throughput() > 0 ? p.throughput() : fallback;
            double t = (p.inFlightBytes() + (double) nrBytes) / tp;
            if (t < bestTime) {
                bestTime = t;
                best = p;
            }
        }
        return best;
    }
}
