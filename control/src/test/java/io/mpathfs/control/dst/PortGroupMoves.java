package io.mpathfs.control.dst;

import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.sim.SimTarget;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The array's side of ALUA in the runs that have it (half of them, drawn per seed on a stream of
 * its own, so that the other half run as before): two target port groups over our ports, the
 * first half active/optimized and the rest standby, and other hosts on a port of their own that
 * stays active/optimized. About one step in six (again on a stream of its own) the array moves
 * the groups, with 2A/06 to their ports' nexuses: they swap, or one goes active/optimized,
 * active/non-optimized or standby — or, drawn on a third stream so that a seed that draws none
 * runs as before, unavailable or transitioning. Those two refuse PR (NOT READY 04/0C, 04/0A): a
 * nexus there is down for PR and keeps its registration until the group takes PR again. A
 * transitioning group settles into the state drawn with it at the next move, or when our IO
 * would otherwise wait for it (the device waits in real time, which a seeded run cannot).
 */
final class PortGroupMoves {
    private static final int ONE_IN = 6;
    /** Of the moves, one in this many makes a group unavailable or transitioning. */
    private static final int REFUSING_PR_ONE_IN = 3;
    private static final AluaState[] SETTLED = {AluaState.ACTIVE_OPTIMIZED, AluaState.ACTIVE_NON_OPTIMIZED,
        AluaState.STANDBY, AluaState.UNAVAILABLE};

    private final long seed;
    private final SimTarget target;
    private final List<String> trace;
    /** Our paths' target ports at the start (1..n). */
    private final int ourPorts;
    /** The other hosts' target port. */
    private final int foreignPort;
    /** Groups transitioning now, and the state each settles into. */
    private final Map<Integer, AluaState> settlesTo = new TreeMap<>();
    /** Groups may go unavailable or transitioning (see Schedule). */
    private final boolean refusing;

    private PortGroupMoves(long seed, SimTarget target, int ourPorts, int foreignPort, boolean refusing,
                           List<String> trace) {
        this.seed = seed;
        this.refusing = refusing;
        this.target = target;
        this.ourPorts = ourPorts;
        this.foreignPort = foreignPort;
        this.trace = trace;
    }

    /** Whether this seed's LU has target port groups (restarts false: the schedule from before ALUA). */
    static boolean drawn(long seed, boolean restarts) {
        return restarts && new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 3).nextInt(2) == 0;
    }

    /**
     * Adds the other hosts' port and puts our n ports into the two groups, as demo --alua: the
     * first half active/optimized, the rest standby.
     */
    static PortGroupMoves setUp(long seed, SimTarget target, int n, boolean refusing, List<String> trace) {
        int foreign = target.addTargetPort();
        target.setGroupState(1, AluaState.ACTIVE_OPTIMIZED);
        target.setGroupState(2, AluaState.STANDBY);
        for (int p = 1; p <= n; p++) {
            target.movePort(p, p <= (n + 1) / 2 ? 1 : 2);
        }
        return new PortGroupMoves(seed, target, n, foreign, refusing, trace);
    }

    /** The other hosts' target port, which stays active/optimized (the single-device oracle knows no port states). */
    int foreignPort() {
        return foreignPort;
    }

    /** Whether this step is a target port group transition. */
    boolean now(int step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 4).nextInt(ONE_IN) == 0;
    }

    /**
     * The array moves its target port groups (implicit ALUA, 2A/06 to the ports' nexuses): the two
     * groups swap, or one goes to active/optimized, active/non-optimized or standby — or, on a
     * stream of the step's own, unavailable or transitioning.
     */
    void transition(SplittableRandom rng, int step) {
        SplittableRandom own = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 5);
        if (this.refusing && own.nextInt(REFUSING_PR_ONE_IN) == 0) {
            int g = 1 + own.nextInt(2);
            if (own.nextBoolean()) {
                settlesTo.remove(g);
                target.setGroupState(g, AluaState.UNAVAILABLE);
                trace.add(step + ": target port group " + g + " goes unavailable");
            } else {
                AluaState to = SETTLED[own.nextInt(SETTLED.length)];
                settlesTo.put(g, to);
                target.setGroupState(g, AluaState.TRANSITIONING);
                trace.add(step + ": target port group " + g + " goes transitioning (to " + to.shortName() + ")");
            }
            return;
        }
        AluaState[] states = {AluaState.ACTIVE_OPTIMIZED, AluaState.ACTIVE_NON_OPTIMIZED, AluaState.STANDBY};
        int d = rng.nextInt(3);
        if (d == 0) {
            AluaState one = target.logicalUnit().portState(1);
            AluaState two = target.logicalUnit().portState(ourPorts);
            target.setGroupState(1, two);
            target.setGroupState(2, one);
            AluaState to1 = settlesTo.remove(1);
            AluaState to2 = settlesTo.remove(2);
            if (to2 != null) {
                settlesTo.put(1, to2);
            }
            if (to1 != null) {
                settlesTo.put(2, to1);
            }
            trace.add(step + ": target port groups swap: group 1 " + two.shortName() + ", group 2 " + one.shortName());
        } else {
            AluaState s = states[rng.nextInt(states.length)];
            settlesTo.remove(d);
            target.setGroupState(d, s);
            trace.add(step + ": target port group " + d + " goes " + s.shortName());
        }
    }

    /** Some group of ours is transitioning. */
    boolean transitioning() {
        return !settlesTo.isEmpty();
    }

    /** Every transitioning group settles into its drawn state (why: for the trace). */
    void settle(String why) {
        settlesTo.forEach((g, s) -> {
            target.setGroupState(g, s);
            trace.add("      target port group " + g + " settles: " + s.shortName() + " (" + why + ")");
        });
        settlesTo.clear();
    }

    /**
     * Before our daemon opens its paths again: a transitioning group settles, and an unavailable
     * one becomes standby — the device asks every path for the LU's capacity, which such a port
     * does not serve, as the daemon opens only paths that answer.
     */
    void beforeOpen() {
        settle("before the daemon opens its paths");
        for (int g = 1; g <= 2; g++) {
            if (target.logicalUnit().portState(g == 1 ? 1 : ourPorts) == AluaState.UNAVAILABLE) {
                target.setGroupState(g, AluaState.STANDBY);
                trace.add("      target port group " + g + " standby (the daemon opens only paths that answer)");
            }
        }
    }

    /** Whether this port refuses PR now (its group unavailable or transitioning). */
    boolean refusesPr(int port) {
        return !target.logicalUnit().portState(port).takesPersistentReserve();
    }
}
