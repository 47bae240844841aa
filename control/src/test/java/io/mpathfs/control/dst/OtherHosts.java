package io.mpathfs.control.dst;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.dst.Linearizations.Event;
import io.mpathfs.control.dst.UserOp.Outcome;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hosts B and C: the other initiators of the cluster, each with one nexus of its own to the LU,
 * sending PR commands and IO (drawn by {@link Moves#foreign}) as a step of their own or between
 * two of our coordinator's commands.
 */
final class OtherHosts {
    private final SimTarget target;
    /**
     * In ALUA runs, other hosts act through a target port of their own that stays active/optimized
     * (the single-device oracle knows no port states); 0 otherwise (B through port 1, C port 2).
     */
    private final int foreignPort;
    private final List<String> trace;
    /**
     * Another host removed our key (a preempt naming it, or CLEAR) while the coordinator is inside
     * one operation (a REGISTER fan-out, a path's return, a self-preempt). That is what a cluster
     * does and what the coordinator must survive; other hosts' PR commands after it, within the
     * same operation, are not sent: registering several nexuses is not atomic, and a key
     * registered on the late paths after the removal is visible to them (a second preempt
     * succeeds, an unregister does not end an all-registrants reservation) for the moment before
     * the re-count removes it — no multipath device can hide that.
     */
    private boolean ourKeyRemovedInTurn;

    OtherHosts(SimTarget target, int foreignPort, List<String> trace) {
        this.target = target;
        this.foreignPort = foreignPort;
        this.trace = trace;
    }

    /** A top-level step begins: no operation of ours is under way. */
    void newStep() {
        ourKeyRemovedInTurn = false;
    }

    /**
     * One command or IO of host B or C, sent to the target; null when it is not sent (see
     * ourKeyRemovedInTurn). ourKey: the coordinator's key (0: none); inTurn: between two of
     * the coordinator's commands.
     */
    Event act(SplittableRandom rng, long ourKey, int pattern, boolean inTurn) {
        String host = rng.nextInt(10) < 7 ? "B" : "C";
        long ours = ourKey != 0 ? ourKey : Moves.OUR_KEYS[rng.nextInt(2)];
        UserOp op = Moves.foreign(rng, host, ours, pattern);
        if (inTurn && op instanceof UserOp.PrOutOp) {
            if (ourKeyRemovedInTurn) {
                trace.add("      meanwhile " + op.describe() + ": not sent (our key was removed earlier in this operation)");
                return null;
            }
            ourKeyRemovedInTurn = preemptsOurKey(op);
        }
        Outcome o;
        try {
            o = op.on(target.nexus(host, foreignPort > 0 ? foreignPort : host.equals("B") ? 1 : 2));
        } catch (PathException e) {
            throw new IllegalStateException("another host's nexus never fails: " + e, e);
        }
        return new Event(op, o);
    }

    /** Another host's command that removes our registration: a preempt naming our key, or CLEAR. */
    private static boolean preemptsOurKey(UserOp op) {
        if (!(op instanceof UserOp.PrOutOp out)) {
            return false;
        }
        if (out.line().contains("-c clear")) {
            return true;
        }
        if (!out.line().contains("preempt")) {
            return false;
        }
        for (long k : Moves.OUR_KEYS) {
            if (out.line().contains(" -k " + Moves.hex(k) + " ")) {
                return true;
            }
        }
        return false;
    }
}
