package io.mpathfs.control.pr;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.nativeshim.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Moving the reservation we hold between our paths, and keeping IO out of the way while it
 * moves: the self-preempt (PREEMPT of our own key on one path, with IO suspended, then the other
 * paths registered again and our key re-counted), the move of a reservation off a holder path
 * that died, the preparation of a key change or unregister while a path is down, and the retry of
 * such a step past paths that die under it. Runs on the coordinator's serial executor.
 */
final class ReservationMoves {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final PrState state;
    private final PathRegistrar ops;
    private final HoldingReader holding;
    private final PathCommand cmd;
    private final PrExecution exec;
    private final PreemptionWatch watch;

    ReservationMoves(MultipathDevice device, PrState state, PathRegistrar ops, HoldingReader holding, PathCommand cmd,
                     PrExecution exec, PreemptionWatch watch) {
        this.device = device;
        this.state = state;
        this.ops = ops;
        this.holding = holding;
        this.cmd = cmd;
        this.exec = exec;
        this.watch = watch;
    }

    /**
     * On one device, a key change of the holder carries the reservation to the new key and
     * unregistering the holder (or the last registrant of an all-registrants reservation) ends it.
     * On the multipath device a path that is down keeps its old registration — and with it the
     * reservation on the old key, or alive. So when we hold a reservation and some registered path
     * is down (or the holder path died unnoticed), a self-preempt on a live path goes first: the
     * target drops our registrations on every other nexus, the unreachable ones included, and the
     * reservation sits on a live path, where the change then acts as on one device (should the
     * change reach no path at all, we still hold it, as one device would after a failed command).
     */
    void reservationFollowsKeyChange() {
        Holding h = state.holding();
        if (h == null) {
            return;
        }
        if (!h.type().allRegistrants() && h.holder() != null && h.holder().usable()) {
            holding.refresh(h.holder()); // a holder path that died unnoticed is failed here
        }
        onLivePath(() -> {
            if (state.holding() == null || !(holderPathDown() || unreachableRegisteredPath())) {
                return PrResult.ok("");
            }
            PrResult r = moveReservation();
            return r.isOk() && holderPathDown() ? PrResult.error(Errno.EIO, "the new holder path failed too") : r;
        });
    }

    /** A path we cannot reach may still carry our key on the device. */
    boolean unreachableRegisteredPath() {
        return device.paths().stream().anyMatch(p -> !p.usable() && p.registration() != Registration.NO);
    }

    /**
     * Runs one of the coordinator's own steps until it gets a device's answer: a path found dead
     * on the way is failed by the step, and the next try goes another way (a dead holder path is
     * moved off first). Bounded by the number of paths.
     */
    PrResult onLivePath(Supplier<PrResult> step) {
        PrResult r = step.get();
        for (int tries = 0; tries < device.paths().size() && r.errno() == Errno.EIO && r.deviceAnswer() == null
                && ops.anyUsable() != null; tries++) {
            r = step.get();
        }
        return r;
    }

    /**
     * Moves the reservation we hold to a working path (self-preempt with the type the device
     * has) — after asking the device that we still hold it: a move on a stale belief would be a
     * PREEMPT of our own key while another host holds the reservation, which unregisters us.
     */
    PrResult moveReservation() {
        PathEntry via = ops.anyRegisteredUsable();
        if (via == null) {
            return PrResult.noPath(device.name());
        }
        ReadReservationData r;
        try {
            r = cmd.readReservation(via);
        } catch (PathException e) {
            ops.failPath(via, e);
            return PrResult.error(Errno.EIO, "read reservation on " + via.name() + ": " + e.getMessage());
        } catch (PathCommand.PrInFailed e) {
            return PrResult.fromDevice(e.result, "read reservation on " + via.name());
        }
        if (!holding.ours(r)) {
            state.notHeld(); // not ours any more (another host took it): nothing to move
            device.signalPathsChanged();
            return PrResult.ok("");
        }
        return selfPreempt(r.type().get(), false);
    }

    /**
     * PREEMPT of our own key on one path, with IO suspended: that path becomes the holder (with the
     * given type), every other nexus of ours loses its registration and is registered again; then
     * the key count is re-read — short means a foreign preempt came in between, and what we just
     * re-registered is removed again, so our key is never resurrected.
     */
    PrResult selfPreempt(PrType type, boolean abort) {
        Holding held = state.holding();
        state.settlingStarted();
        boolean suspend = Safeguards.SUSPEND_IO_DURING_SELF_PREEMPT.on();
        try {
            if (suspend) {
                device.gate().suspend();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.settlingEnded();
            return PrResult.error(Errno.EINTR, "interrupted");
        }
        try {
            PathEntry p = ops.anyRegisteredUsable();
            if (p == null) {
                return PrResult.noPath(device.name());
            }
            PrOut.Request req = abort ? PrOut.preemptAndAbort(state.key(), state.key(), type) : PrOut.preempt(state.key(), state.key(), type);
            OutAnswer a = ops.sendOut(p, req, "self-preempt on " + p.name());
            if (!a.good()) {
                if (a.answered() && a.result().isReservationConflict()) {
                    watch.check(); // our key may be gone already
                }
                return a.failure("preempt on " + p.name());
            }
            for (PathEntry o : device.paths()) {
                if (o != p) {
                    o.setRegistration(o.state() == PathState.ACTIVE ? Registration.NO : Registration.UNKNOWN);
                }
            }
            if (!issuerKeptItsRegistration(p)) {
                if (held != null) {
                    // We held it, so the PREEMPT took it over and kept the issuer: a foreign
                    // preempt removed us right after.
                    state.markPreempted("preempted right after our own preempt");
                    return PrResult.ok("");
                }
                // No reservation of ours to take over: the PREEMPT removed our key from every
                // nexus, the issuer's too (SPC-4 5.12.11.2.4; LIO) — one device would now be
                // unregistered, and so are we.
                p.setRegistration(Registration.NO);
                state.unregisteredByOwnPreempt();
                return PrResult.ok("");
            }
            p.setRegistration(Registration.YES);
            // The issuer kept its registration: the PREEMPT took a reservation over and p is its
            // holder (SPC-4; LIO keeps the issuer only then). Known now, even if the read below
            // cannot confirm it (p may die right after, and then the move is queued below).
            state.held(new Holding(type, type.allRegistrants() ? null : p));
            List<PathEntry> others = new ArrayList<>(ops.activePaths());
            others.remove(p);
            ops.registerEverywhere(others);
            if (!ops.verifyKeyCount()) {
                return PrResult.ok(""); // our preempt took effect; a foreign one followed it
            }
            holding.refresh(p, true);
            state.event("reservation " + type.blkprName() + " now held via " + p.name());
            return PrResult.ok("");
        } finally {
            if (holderDown() && !state.movePending()) {
                scheduleHolderMove("the new holder path failed during the move"); // before IO may look
            }
            state.settlingEnded();
            if (suspend) {
                device.gate().resume();
            }
            device.signalPathsChanged();
        }
    }

    /**
     * After a GOOD PREEMPT of our own key on p: is p still registered? It is when the PREEMPT took
     * over a reservation we held; it is not when there was none to take (or another host's), and
     * then no nexus of ours is. A failed read counts as kept: the re-count that follows decides.
     */
    boolean issuerKeptItsRegistration(PathEntry p) {
        // Right after the PREEMPT only the issuer can hold our key: any path may count it.
        ReadKeysData keys = ops.readKeysAnywhere();
        return keys == null || keys.count(state.key()) > 0;
    }

    /**
     * We hold a reservation with one holder nexus (not all-registrants) and its path cannot carry
     * IO: down, or its target port group left the active states (standby, unavailable, transitioning).
     */
    boolean holderPathDown() {
        Holding h = state.holding();
        if (h == null || h.type().allRegistrants()) {
            return false;
        }
        if (h.holder() == null || !h.holder().usable()) {
            return true;
        }
        // Usable but in a group that takes no IO: down only while a registered path of an active
        // group can take the reservation over (the one a move picks first); else a move would
        // land on another such path, and again.
        return !h.holder().carriesIo() && device.paths().stream().anyMatch(p -> p != h.holder() && p.carriesIo()
                && PathCommand.hasScsi(p) && p.registration() == Registration.YES);
    }

    /** We hold a single-holder reservation whose holder path is usable but in a group that takes no IO. */
    boolean holderInInactiveGroup() {
        Holding h = state.holding();
        return h != null && h.type().singleHolder() && h.holder() != null && h.holder().usable()
                && !h.holder().carriesIo();
    }

    /** We hold a single-holder reservation and its holder path cannot carry IO. */
    boolean holderDown() {
        return holderPathDown() && state.holding().type().singleHolder();
    }

    /**
     * Moves our single-holder reservation to a working path, on the coordinator's thread; IO that
     * the holder alone may carry waits for it (settling) instead of failing for want of a path.
     */
    void scheduleHolderMove(String why) {
        state.moveQueued();
        exec.post(() -> {
            try {
                onLivePath(() -> {
                    if (!holderDown()) {
                        return PrResult.ok("");
                    }
                    LOG.warning(device.name() + ": " + why + ": moving the " + state.holding().type().blkprName()
                            + " reservation");
                    PrResult r = moveReservation();
                    // The new holder path may die right after the PREEMPT made it the holder: then
                    // the move goes on to the next live path, not to rest.
                    return r.isOk() && holderDown() ? PrResult.error(Errno.EIO, "the new holder path failed too") : r;
                });
            } finally {
                state.moveDone();
                device.signalPathsChanged();
            }
        });
    }

    /**
     * A command that may make one of our nexuses the single holder of a WE/EA reservation runs
     * with IO suspended: until the routing knows the new holder, IO sent to another path would
     * conflict where one device (whose only nexus is the holder) lets it through.
     */
    PrResult withIoSuspended(boolean needed, Supplier<PrResult> command) {
        if (!needed) {
            return command.get();
        }
        try {
            device.gate().suspend();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PrResult.error(Errno.EINTR, "interrupted");
        }
        try {
            return command.get();
        } finally {
            device.gate().resume();
        }
    }
}
