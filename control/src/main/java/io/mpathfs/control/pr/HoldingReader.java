package io.mpathfs.control.pr;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import java.util.List;

/**
 * Learns from the device which reservation we hold and through which of our paths (READ
 * RESERVATION, READ FULL STATUS), and keeps it in the coordinator's state. A path that dies on
 * the way is failed and another one asked.
 */
final class HoldingReader {
    private final MultipathDevice device;
    private final PrState state;
    private final PathCommand cmd;
    private final PathRegistrar ops;

    HoldingReader(MultipathDevice device, PrState state, PathCommand cmd, PathRegistrar ops) {
        this.device = device;
        this.state = state;
        this.cmd = cmd;
        this.ops = ops;
    }

    /**
     * Which of our paths the device reports as the reservation holder (READ FULL STATUS: the
     * registration of our key with R_HOLDER set, by relative target port) — the nexus that
     * reserved, or the one LIO keeps as the holder of an all-registrants reservation; null when
     * unknown or when that port is not one of our usable paths'.
     */
    PathEntry reportedHolder() {
        PathEntry via = ops.anyUsable();
        if (via == null) {
            return null;
        }
        FullStatusData full;
        try {
            full = FullStatusData.decode(cmd.in(via, PrInAction.READ_FULL_STATUS));
        } catch (PathException e) {
            ops.failPath(via, e);
            return null;
        } catch (PathCommand.PrInFailed | RuntimeException e) {
            return null;
        }
        for (FullStatusData.Descriptor d : full.descriptors()) {
            if (d.holder() && d.key() == state.key() && !d.allTgPt()) {
                List<PathEntry> match = ops.activePaths().stream()
                        .filter(p -> ops.port(p) == d.relativeTargetPort()).toList();
                return match.size() == 1 ? match.get(0) : null;
            }
        }
        return null;
    }

    void refresh(PathEntry via) {
        refresh(via, false);
    }

    /**
     * Learns whether (and how) we hold the reservation, from the device's answer. viaIsHolder: the
     * command just sent on via made it the holder (PREEMPT of the holder's key); otherwise a
     * holder we already knew stays the holder.
     */
    void refresh(PathEntry via, boolean viaIsHolder) {
        try {
            learn(cmd.readReservation(via), via, viaIsHolder);
        } catch (PathException e) {
            ops.failPath(via, e);
            // via died right after the command that may have made it the holder: another path
            // tells what we hold now (the holder nexus is still via's, moved off when needed).
            // When none answers, the next path prepared asks.
            if (!learnElsewhere(via, viaIsHolder)) {
                state.holdingToBeLearnt();
            }
        } catch (PathCommand.PrInFailed e) {
            // leave as is: the next check corrects it
        }
        device.signalPathsChanged();
    }

    /** READ RESERVATION through p: what we hold (the holder nexus not known); false when p gave no answer. */
    boolean learntVia(PathEntry p) {
        try {
            ReadReservationData r = cmd.readReservation(p);
            state.holdingLearnt();
            if (ours(r)) {
                state.held(new Holding(r.type().get(), null));
            } else {
                state.notHeld();
            }
            return true;
        } catch (PathException e) {
            ops.failPath(p, e);
            return false;
        } catch (PathCommand.PrInFailed e) {
            return false;
        }
    }

    private boolean learnElsewhere(PathEntry via, boolean viaIsHolder) {
        for (PathEntry p : ops.activePaths()) {
            try {
                learn(cmd.readReservation(p), via, viaIsHolder);
                return true;
            } catch (PathException e) {
                ops.failPath(p, e);
            } catch (PathCommand.PrInFailed e) {
                return false;
            }
        }
        return false;
    }

    private void learn(ReadReservationData r, PathEntry via, boolean viaIsHolder) {
        state.holdingLearnt();
        if (ours(r)) {
            PrType t = r.type().get();
            Holding h = state.holding();
            // A holder not known (learnt at start without one) stays unknown: via is only where we read.
            boolean keepKnown = !viaIsHolder && h != null && h.type() == t;
            PathEntry holder = t.allRegistrants() ? null : keepKnown ? h.holder() : via;
            state.held(new Holding(t, holder));
        } else {
            state.notHeld();
        }
    }

    /**
     * Is this reservation ours? Held with our key — or of an all-registrants type, which every
     * registrant holds and whose key LIO reports as 0 (we are a registrant while we have a key).
     */
    boolean ours(ReadReservationData r) {
        if (!r.reserved() || state.key() == 0 || r.type().isEmpty()) {
            return false;
        }
        return r.key() == state.key() || (r.type().get().allRegistrants() && r.key() == 0);
    }
}
