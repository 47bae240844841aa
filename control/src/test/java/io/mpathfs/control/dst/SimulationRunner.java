package io.mpathfs.control.dst;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs seeds, and shrinks a failing one: the schedule is cut after the failing step, then every
 * step that can be left out while a violation remains is left out (each step has its own random
 * stream, so leaving one out changes nothing else). What is left is the minimal trace.
 */
final class SimulationRunner {
    static final int STEPS = 60;

    record Summary(int seeds, long checks, int endedEarly, SimulationFailure failure) {
    }

    private SimulationRunner() {
    }

    /** Seeds first..first+count-1; stops at the first violation. */
    static Summary runSeeds(long first, int count) {
        return quietly(() -> {
            long checks = 0;
            int early = 0;
            for (int i = 0; i < count; i++) {
                Simulation s = new Simulation(first + i, STEPS, Set.of(), Schedule.ofRun());
                SimulationFailure f = s.run();
                checks += s.checks;
                early += s.endedEarly ? 1 : 0;
                if (f != null) {
                    return new Summary(i + 1, checks, early, f);
                }
            }
            return new Summary(count, checks, early, null);
        });
    }

    static SimulationFailure runOne(long seed) {
        return quietly(() -> new Simulation(seed, STEPS, Set.of(), Schedule.ofRun()).run());
    }

    /** A seed pinned in a test, replayed with the schedule it was found with. */
    static SimulationFailure runOne(long seed, Schedule schedule) {
        return quietly(() -> new Simulation(seed, STEPS, Set.of(), schedule).run());
    }

    /** The smallest schedule of the same seed that still fails. */
    static SimulationFailure shrink(SimulationFailure f) {
        if (Boolean.getBoolean("noShrink")) {
            return f; // -DnoShrink=true: the whole trace as it ran
        }
        return quietly(() -> {
            int steps = f.step + 1;
            Set<Integer> skip = new HashSet<>();
            SimulationFailure best = new Simulation(f.seed, steps, skip, Schedule.ofRun()).run();
            if (best == null) {
                return f; // fails only with the whole schedule's last quiescence check
            }
            for (int i = steps - 1; i >= 0; i--) {
                skip.add(i);
                SimulationFailure g = new Simulation(f.seed, steps, skip, Schedule.ofRun()).run();
                if (g != null) {
                    best = g;
                } else {
                    skip.remove(i);
                }
            }
            return best;
        });
    }

    /** The coordinator logs every path event: thousands of runs would drown the test output. */
    private static <T> T quietly(Supplier<T> body) {
        if (Boolean.getBoolean("dstLog")) {
            return body.get(); // -DdstLog=true: the coordinator's log, for reading a replay
        }
        Logger log = Logger.getLogger("mpathfs");
        Level before = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            return body.get();
        } finally {
            log.setLevel(before);
        }
    }
}
