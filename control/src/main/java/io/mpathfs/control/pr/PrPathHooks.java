package io.mpathfs.control.pr;

import io.mpathfs.backends.pr.PrType;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathLifecycle;
import io.mpathfs.control.Registration;
import java.util.ArrayList;
import java.util.List;

/**
 * The PR coordinator's part in the device's path events and IO routing. The admission hooks
 * block while the coordinator brings a returning or new path in line; the IO hooks, which IO
 * threads call, only read the coordinator's state or queue work on its executor.
 */
final class PrPathHooks implements PathLifecycle {
    private final PrState state;
    private final PathRegistrar ops;
    private final HoldingReader holding;
    private final PreemptionWatch watch;
    private final ReservationMoves moves;
    private final PrExecution exec;

    PrPathHooks(PrState state, PathRegistrar ops, HoldingReader holding, PreemptionWatch watch, ReservationMoves moves,
                PrExecution exec) {
        this.state = state;
        this.ops = ops;
        this.holding = holding;
        this.watch = watch;
        this.moves = moves;
        this.exec = exec;
    }

    /** Register a returning path before it carries IO (or remove a stale key when we have none). */
    @Override
    public boolean beforeReinstate(PathEntry p) {
        return exec.call(() -> preparedWithHolder(p));
    }

    @Override
    public boolean beforeAdd(PathEntry p) {
        return exec.call(() -> preparedWithHolder(p));
    }

    /**
     * Registers a returning or new path; if we hold a WE/EA reservation whose holder path is
     * down (its move found no path then), the returning path is where it moves to.
     */
    private boolean preparedWithHolder(PathEntry p) {
        boolean ok = ops.preparePath(p);
        if (ok && state.key() != 0 && state.holdingUnknown()) {
            holding.learntVia(p); // no path could tell at start; a single holder then moves to p (below)
        }
        // A path of an active group returning while the holder sits in a standby one: the holder
        // moves to it (it is not ACTIVE yet, so holderDown cannot count it until the move runs).
        boolean takesOver = moves.holderInInactiveGroup() && p.registration() == Registration.YES
                && (p.alua() == null || p.alua().state().active());
        if (ok && (moves.holderDown() || takesOver)) {
            moves.scheduleHolderMove(p.name() + " returned");
        }
        return ok;
    }

    @Override
    public void pathFailed(PathEntry p) {
        Holding h = state.holding();
        if (h != null && h.type().singleHolder() && h.holder() == p) {
            moves.scheduleHolderMove("holder path " + p.name() + " failed");
        }
    }

    /**
     * A WE/EA holder in a group that takes no IO (standby, unavailable, transitioning) is moved as
     * for a dead holder path, once a registered path of an active group can take it over: when the
     * holder's group leaves the active states, or another path's group becomes active.
     */
    @Override
    public void pathGroupChanged(PathEntry p) {
        if (moves.holderDown() && !state.movePending()) {
            // The holder nexus may not be known (a reservation learnt at start without one).
            PathEntry holder = state.holding().holder();
            moves.scheduleHolderMove("target port group of " + p.name() + " is " + p.alua().state().shortName()
                    + " (holder " + (holder == null ? "not known" : holder.name()) + ")");
        }
    }

    @Override
    public void reservationConflict(PathEntry p, boolean write) {
        if (state.key() != 0 && p.registration() == Registration.YES) {
            watch.schedule("reservation conflict on IO via " + p.name());
        }
    }

    @Override
    public void unitAttention(PathEntry p, int asc, int ascq) {
        watch.onUnitAttention(p.path(), asc, ascq);
    }

    /**
     * Only registered paths carry IO while we have a key; with a single-holder reservation (WE for
     * writes, EA for everything) only the holder path does, as on one device every other nexus
     * would conflict.
     *
     * <p>The registered-only filter is a second line, not the rule: while IO may flow (the gate
     * open) no usable path lacks our registration. A path becomes usable only once prepared
     * (preparePath: every path at start, a returning one, an added one), which registers it or
     * ends our key; the steps that leave usable paths unregistered for a moment (a REGISTER
     * fan-out, a self-preempt's re-registration) run with IO suspended. The deterministic
     * simulation checks that rule before every IO it sends.
     */
    @Override
    public List<PathEntry> route(List<PathEntry> usable, boolean write) {
        if (state.key() == 0) {
            return usable;
        }
        List<PathEntry> registered = new ArrayList<>(usable.size());
        for (PathEntry p : usable) {
            if (p.registration() == Registration.YES) {
                registered.add(p);
            }
        }
        Holding h = state.holding();
        if (h != null && h.type().singleHolder() && (h.type() == PrType.EXCLUSIVE_ACCESS || write)) {
            // A holder nexus not known yet (learnt without one): none, until it is moved to one.
            return h.holder() != null && registered.contains(h.holder()) ? List.of(h.holder()) : List.of();
        }
        return registered;
    }

    @Override
    public boolean settling() {
        return state.settling();
    }

    @Override
    public void awaitingSettle() {
        exec.ioWaiting();
    }
}
