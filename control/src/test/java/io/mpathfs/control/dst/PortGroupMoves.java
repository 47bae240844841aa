package io.mpathfs.control.dst;

import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.sim.SimTarget;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The array's side of ALUA in the runs that have it (half of them, drawn per seed on a stream of
 * its own, so that the other half run as before): two target port groups over our ports, the
 * first half active/optimized and the rest standby, and other hosts on a port of their own that
 * stays active/optimized. About one step in six (again on a stream of its own) the array moves
 * the groups, with 2A/06 to their ports' nexuses.
 */
final class PortGroupMoves {
    private static final int ONE_IN = 6;

    private final long seed;
    private final SimTarget target;
    private final List<String> trace;
    /** Our paths' target ports at the start (1..n). */
    private final int ourPorts;
    /** The other hosts' target port. */
    private final int foreignPort;

    private PortGroupMoves(long seed, SimTarget target, int ourPorts, int foreignPort, List<String> trace) {
        this.seed = seed;
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
    static PortGroupMoves setUp(long seed, SimTarget target, int n, List<String> trace) {
        int foreign = target.addTargetPort();
        target.setGroupState(1, AluaState.ACTIVE_OPTIMIZED);
        target.setGroupState(2, AluaState.STANDBY);
        for (int p = 1; p <= n; p++) {
            target.movePort(p, p <= (n + 1) / 2 ? 1 : 2);
        }
        return new PortGroupMoves(seed, target, n, foreign, trace);
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
     * groups swap, or one goes to active/optimized, active/non-optimized or standby.
     */
    void transition(SplittableRandom rng, int step) {
        AluaState[] states = {AluaState.ACTIVE_OPTIMIZED, AluaState.ACTIVE_NON_OPTIMIZED, AluaState.STANDBY};
        int d = rng.nextInt(3);
        if (d == 0) {
            AluaState one = target.logicalUnit().portState(1);
            AluaState two = target.logicalUnit().portState(ourPorts);
            target.setGroupState(1, two);
            target.setGroupState(2, one);
            trace.add(step + ": target port groups swap: group 1 " + two.shortName() + ", group 2 " + one.shortName());
        } else {
            AluaState s = states[rng.nextInt(states.length)];
            target.setGroupState(d, s);
            trace.add(step + ": target port group " + d + " goes " + s.shortName());
        }
    }
}
