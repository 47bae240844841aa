package io.mpathfs.control.dst;

import java.util.List;

/** A violated invariant: the seed and step that reproduce it, and the trace that led there. */
final class SimulationFailure extends AssertionError {
    final long seed;
    final int step;
    final String what;
    final List<String> trace;

    SimulationFailure(long seed, int step, String what, List<String> trace) {
        super("seed " + seed + ", step " + step + ": " + what);
        this.seed = seed;
        this.step = step;
        this.what = what;
        this.trace = List.copyOf(trace);
    }

    String report() {
        StringBuilder b = new StringBuilder();
        b.append("VIOLATION seed=").append(seed).append(" step=").append(step).append('\n');
        b.append("  ").append(what).append('\n');
        b.append("  replay: make soak SEED=").append(seed).append('\n');
        b.append("  trace:\n");
        for (String t : trace) {
            b.append("    ").append(t).append('\n');
        }
        return b.toString();
    }
}
