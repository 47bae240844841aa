package io.mpathfs.control.pr;

import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The coordinator's work on individual paths: choosing a path for a command, registering our key
 * on paths (all at once, or a returning one), undoing a partial registration, re-counting our key
 * on the device, and learning from the device which reservation we hold and through which path.
 */
final class PathOps {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final PrState state;
    private final PathCommand cmd;
    private final FanOut fanOut;

    PathOps(MultipathDevice device, PrState state, PathCommand cmd, FanOut fanOut) {
        this.device = device;
        this.state = state;
        this.cmd = cmd;
        this.fanOut = fanOut;
    }

    /** REGISTER AND IGNORE EXISTING KEY with our key on the given paths. */
    void registerEverywhere(List<PathEntry> paths) {
        long k = state.key;
        List<FanOut.Outcome> outs = fanOut.run(paths, p -> cmd.out(p, PrOut.registerAndIgnore(k, state.aptpl, false)));
        for (FanOut.Outcome o : outs) {
            if (o.transportFailed()) {
                failPath(o.path(), o.failure());
            } else {
                o.path().setRegistration(o.good() ? Registration.YES : Registration.UNKNOWN);
            }
        }
    }


    /** Puts back what the paths that took a partial REGISTER had before. */
    void undoRegistration(List<PathEntry> took) {
        long prior = state.key;
        fanOut.run(took, p -> cmd.out(p, PrOut.registerAndIgnore(
                p.registration() == Registration.YES ? prior : 0, state.aptpl, false)));
    }


    /**
     * After re-registering: the device must show our key at least once per path we think is
     * registered. Fewer means a foreign preempt removed some: unregister what we re-registered and
     * go to PREEMPTED. Returns whether our registration stands.
     */
    boolean verifyKeyCount() {
        long expected = device.paths().stream().filter(x -> x.registration() == Registration.YES).count();
        PathEntry p = anyUsable();
        if (p == null) {
            return true;
        }
        try {
            long seen = cmd.readKeys(p).count(state.key);
            if (seen >= expected) {
                return true;
            }
            LOG.warning(device.name() + ": key " + PrKeys.hex(state.key) + " registered " + seen + " times, expected "
                    + expected + ": preempted by another host during re-registration");
        } catch (PathException | PathCommand.PrInFailed e) {
            return true; // cannot tell; the next check will
        }
        List<PathEntry> mine = device.paths().stream().filter(x -> x.registration() == Registration.YES
                && x.usable()).toList();
        fanOut.run(mine, x -> cmd.out(x, PrOut.registerAndIgnore(0, state.aptpl, false)));
        state.markPreempted("preempted during re-registration");
        return false;
    }


    boolean preparePath(PathEntry p) {
        if (!PathCommand.hasScsi(p)) {
            return state.key == 0; // a path that cannot register must not carry IO of a registered device
        }
        long k = state.key;
        ScsiResult r;
        try {
            r = cmd.out(p, PrOut.registerAndIgnore(k, state.aptpl, false));
        } catch (PathException e) {
            p.recordError(e.getMessage());
            return false;
        }
        if (!r.isGood()) {
            p.recordError("register on return: " + r.describe());
            return false;
        }
        if (k == 0) {
            p.setRegistration(Registration.NO);
            return true;
        }
        // The device must show our key once for this path and once for every other path we
        // believe registered; fewer means a preempt removed them while this path was away. (This
        // path's own fresh registration always shows, so "is the key there at all" proves nothing.)
        long expected = 1 + device.paths().stream()
                .filter(x -> x != p && x.registration() == Registration.YES).count();
        try {
            if (cmd.readKeys(p).count(k) < expected) {
                // Preempted while the path was down: undo the registration we just made.
                cmd.out(p, PrOut.registerAndIgnore(0, state.aptpl, false));
                state.markPreempted("key " + PrKeys.hex(k) + " found preempted when " + p.name() + " returned");
                return true;
            }
        } catch (PathException e) {
            p.recordError(e.getMessage());
            return false;
        } catch (PathCommand.PrInFailed e) {
            p.recordError("read keys on return: " + e.getMessage());
            return false;
        }
        p.setRegistration(Registration.YES);
        return true;
    }


    void refreshHolding(PathEntry via) {
        refreshHolding(via, false);
    }


    /**
     * Learns whether (and how) we hold the reservation, from the device's answer. viaIsHolder: the
     * command just sent on via made it the holder (PREEMPT of the holder's key); otherwise a
     * holder we already knew stays the holder.
     */
    void refreshHolding(PathEntry via, boolean viaIsHolder) {
        try {
            ReadReservationData r = cmd.readReservation(via);
            if (r.reserved() && r.key() == state.key && state.key != 0 && r.type().isPresent()) {
                PrType t = r.type().get();
                Holding h = state.holding;
                boolean keepKnown = !viaIsHolder && h != null && h.holder() != null && h.type() == t;
                PathEntry holder = t.allRegistrants() ? null : keepKnown ? h.holder() : via;
                state.holding = new Holding(t, holder);
            } else {
                state.holding = null;
            }
        } catch (PathException e) {
            failPath(via, e);
        } catch (PathCommand.PrInFailed e) {
            // leave as is: the next check corrects it
        }
        device.signalPathsChanged();
    }


    List<PathEntry> activePaths() {
        List<PathEntry> out = new ArrayList<>();
        for (PathEntry p : device.paths()) {
            if (p.state() == PathState.ACTIVE && !p.removed() && PathCommand.hasScsi(p)) {
                out.add(p);
            }
        }
        return out;
    }


    PathEntry anyUsable() {
        for (PathEntry p : activePaths()) {
            return p;
        }
        return null;
    }


    /** A usable path registered with our key, else any usable path (the device then answers). */
    PathEntry anyRegisteredUsable() {
        for (PathEntry p : activePaths()) {
            if (p.registration() == Registration.YES) {
                return p;
            }
        }
        return anyUsable();
    }


    void failPath(PathEntry p, PathException e) {
        p.recordError(e.getMessage());
        if (e.errorClass() == ErrorClass.PATH_FAILURE) {
            device.failPath(p, "PR command: " + e.getMessage());
        }
    }
}
