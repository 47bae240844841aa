package io.mpathfs.control.pr;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.nativeshim.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Every PR OUT service action of the coordinator, each as one device would carry it out through
 * one I_T nexus: REGISTER on every path (holder path last), RESERVE, RELEASE and PREEMPT through
 * the right nexus (moving the reservation first where one device would not notice the difference),
 * CLEAR. Runs on the coordinator's serial executor.
 */
final class PrOutVerbs {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final PrState state;
    private final PathRegistrar ops;
    private final HoldingReader holding;
    private final PathCommand cmd;
    private final FanOut fanOut;
    private final PreemptionWatch watch;
    private final ReservationMoves moves;

    PrOutVerbs(MultipathDevice device, PrState state, PathRegistrar ops, HoldingReader holding, PathCommand cmd,
               FanOut fanOut, PreemptionWatch watch, ReservationMoves moves) {
        this.device = device;
        this.state = state;
        this.ops = ops;
        this.holding = holding;
        this.cmd = cmd;
        this.fanOut = fanOut;
        this.watch = watch;
        this.moves = moves;
    }

    /**
     * REGISTER / REGISTER AND IGNORE on every usable path in parallel, exactly as the user gave it.
     * All paths agree → done. Some refuse → undo the ones that took it, and answer what the device
     * answered. Paths down now are brought in line when they return (beforeReinstate).
     */
    PrResult register(PrCommand c) {
        // The paths change key one by one; a foreign preempt between them can leave the late
        // ones registered for a moment (until the re-count below removes them). IO waits, so
        // that it never goes through such a path.
        return moves.withIoSuspended(true, () -> registerNow(c));
    }

    private PrResult registerNow(PrCommand c) {
        long rk = c.reservationKey();
        long sark = c.serviceActionKey();
        try {
            state.checkKeysWritable();
        } catch (KeysFile.KeysFileException e) {
            return PrResult.error(Errno.EIO, "register refused: the key could not be kept: " + e.getMessage());
        }
        PrOut.Request req = c.ignoreKey() ? PrOut.registerAndIgnore(sark, state.aptpl(), false)
                : PrOut.register(rk, sark, state.aptpl(), false);
        if (state.key() != 0 && sark != state.key() && (rk == state.key() || c.ignoreKey())) {
            moves.reservationFollowsKeyChange();
            if (state.key() == 0 && !state.preempted()) {
                // The self-preempt found no reservation of ours and so unregistered every nexus
                // (LIO): the unregister is done; a key change goes on as a fresh registration.
                if (sark == 0) {
                    return PrResult.ok("");
                }
                req = PrOut.registerAndIgnore(sark, state.aptpl(), false);
            }
        }
        List<PathEntry> paths = ops.activePaths();
        if (!Safeguards.REGISTER_STANDBY_PATHS.on()) {
            paths = paths.stream().filter(PathEntry::carriesIo).toList();
        }
        List<FanOut.Outcome> outs = fanOutHolderLast(paths, req, sark);
        List<PathEntry> took = new ArrayList<>();
        FanOut.Outcome refused = null;
        for (FanOut.Outcome o : outs) {
            if (o.transportFailed()) {
                ops.failPath(o.path(), o.failure());
            } else if (o.good()) {
                took.add(o.path());
            } else if (refused == null || refused.result().isReservationConflict()) {
                refused = o; // prefer reporting a non-conflict error (e.g. ILLEGAL REQUEST)
            }
        }
        if (refused != null) {
            if (!took.isEmpty()) {
                ops.undoRegistration(took, sark);
            }
            if (refused.result().isReservationConflict() && state.key() != 0) {
                watch.schedule("register refused with a conflict");
            }
            return PrResult.fromDevice(refused.result(), "register on " + refused.path().name());
        }
        if (took.isEmpty()) {
            return PrResult.error(Errno.EIO, "register: no path answered");
        }
        for (PathEntry p : paths) {
            if (!took.contains(p)) {
                p.setRegistration(Registration.UNKNOWN);
            }
        }
        for (PathEntry p : took) {
            p.setRegistration(sark != 0 ? Registration.YES : Registration.NO);
        }
        for (PathEntry p : device.paths()) {
            if (p.state() != PathState.ACTIVE) {
                p.setRegistration(Registration.UNKNOWN); // synced to the new key when it returns
            }
        }
        try {
            state.registered(sark);
        } catch (KeysFile.KeysFileException e) {
            LOG.severe(device.name() + ": registered key " + PrKeys.hex(sark) + ", but " + e.getMessage());
            return PrResult.error(Errno.EIO, "register took effect on the device, but the key could not be kept: "
                    + e.getMessage());
        }
        if (sark != 0) {
            // A foreign PREEMPT of our key landing between two of the paths' REGISTERs removed the
            // early ones and left the late ones: our key must not live on on those. The command
            // itself took effect (as on one device, just before the preempt).
            ops.verifyKeyCount();
        }
        device.signalPathsChanged();
        return PrResult.ok("");
    }

    /**
     * A key change or unregister reaches the holder path last: its change moves (or ends) the
     * reservation, and should another path refuse in between (a foreign preempt landed), the
     * reservation must still be where one device would have it — with the key the refusal says
     * we still have. For all-registrants reservations LIO keeps one registrant as the holder
     * (whose key a PREEMPT must name to take it over); which of our paths that is, READ FULL
     * STATUS says.
     */
    private List<FanOut.Outcome> fanOutHolderLast(List<PathEntry> paths, PrOut.Request req, long newKey) {
        Holding h = state.holding();
        PathEntry holder = h == null || newKey == state.key() ? null
                : h.type().allRegistrants() ? holding.reportedHolder() : h.holder();
        if (holder == null || !paths.contains(holder) || paths.size() == 1) {
            return fanOut.run(paths, p -> cmd.out(p, req));
        }
        List<PathEntry> first = new ArrayList<>(paths);
        first.remove(holder);
        List<FanOut.Outcome> outs = new ArrayList<>(fanOut.run(first, p -> cmd.out(p, req)));
        if (outs.stream().allMatch(o -> o.good() || o.transportFailed())) {
            outs.addAll(fanOut.run(List.of(holder), p -> cmd.out(p, req)));
        }
        return outs;
    }

    PrResult reserve(long rk, PrType type) {
        return moves.withIoSuspended(type.singleHolder(), () -> reserveNow(rk, type));
    }

    private PrResult reserveNow(long rk, PrType type) {
        Holding h = state.holding();
        // Held already, through a path that is down: ask through another one. One device answers
        // GOOD for its holder's RESERVE of the same type; our other nexus gets a conflict while we
        // still hold it — and the device's own answer if another host took it meanwhile.
        boolean holderAway = h != null && h.type() == type && moves.holderPathDown();
        PathEntry target = !holderAway && h != null && h.holder() != null && h.holder().usable() ? h.holder()
                : ops.anyRegisteredUsable();
        if (target == null) {
            return PrResult.noPath(device.name());
        }
        OutAnswer a = ops.sendOut(target, PrOut.reserve(rk, type), "reserve");
        if (!a.answered()) {
            return a.noAnswer();
        }
        ScsiResult r = a.result();
        if (r.isGood()) {
            if (h == null || h.type() != type || holderAway) {
                state.held(new Holding(type, type.allRegistrants() ? null : target));
                device.signalPathsChanged();
            }
            return PrResult.ok("");
        }
        if (holderAway && rk == state.key() && r.isReservationConflict()) {
            ReadReservationData now = reservationSeenVia(target);
            // The path that got the conflict may die right after it: another one tells.
            for (int tries = 0; now == null && !target.usable() && tries < device.paths().size(); tries++) {
                PathEntry other = ops.anyRegisteredUsable();
                if (other == null) {
                    break;
                }
                now = reservationSeenVia(other);
            }
            if (now == null) {
                // The conflict may be our own non-holder nexus's, which one device does not have:
                // not the device's answer to pass on, and no path could tell.
                return PrResult.error(Errno.EIO, "reserve on " + target.name() + ": conflict, and the reservation "
                        + "could not be read back to tell whether it is ours");
            }
            if (holding.ours(now)) {
                // Ours: the conflict was our other nexus's. Of the same type, one device answers
                // its holder GOOD; of another type, a conflict.
                return now.type().get() == type ? PrResult.ok("") : PrResult.fromDevice(r, "reserve on " + target.name());
            }
            // Not ours any more: a foreign PREEMPT or CLEAR came before or during our RESERVE.
            // Asked again of the device as it stands, the RESERVE gets the answer one device
            // gives after that command.
            state.notHeld();
            device.signalPathsChanged();
            return reserveNow(rk, type);
        }
        return PrResult.fromDevice(r, "reserve on " + target.name());
    }

    /** READ RESERVATION through via; null when it gets no answer. */
    private ReadReservationData reservationSeenVia(PathEntry via) {
        try {
            return cmd.readReservation(via);
        } catch (PathException e) {
            ops.failPath(via, e);
            return null;
        } catch (PathCommand.PrInFailed e) {
            return null;
        }
    }

    PrResult release(long rk, PrType type) {
        Holding h = state.holding();
        PathEntry target;
        if (moves.holderPathDown()) {
            // RELEASE must come from the holder nexus; its path is down (or unknown): move the
            // reservation to a working path first, then release there.
            PrResult moved = moves.moveReservation();
            if (!moved.isOk() && !(moved.isConflict() && state.holding() == null)) {
                return moved;
            }
            // A conflict that took the reservation from us (a foreign PREEMPT or CLEAR came
            // during the move) answered our own PREEMPT, not the user's RELEASE: the RELEASE now
            // goes to the device as it stands, and its answer is the one a single device gives.
            h = state.holding();
            if (moves.holderPathDown()) {
                // The new holder path died too. A RELEASE from another nexus would be a GOOD
                // no-op: say it did not reach the device, so that the caller may try again.
                return PrResult.error(Errno.EIO, "release: the holder path failed while the reservation was moved");
            }
        }
        target = h != null && h.holder() != null && h.holder().usable() ? h.holder() : ops.anyRegisteredUsable();
        if (target == null) {
            return PrResult.noPath(device.name());
        }
        OutAnswer a = ops.sendOut(target, PrOut.release(rk, type), "release");
        if (!a.good()) {
            return a.failure("release on " + target.name());
        }
        if (h != null && h.type() == type) {
            state.notHeld(); // released by its holder: known even if the read below fails
        }
        holding.refresh(target);
        return PrResult.ok("");
    }

    PrResult clear(long rk) {
        PathEntry target = ops.anyRegisteredUsable();
        OutAnswer a = ops.sendOut(target, PrOut.clear(rk), "clear");
        if (!a.good()) {
            return a.failure("clear on " + target.name());
        }
        // CLEAR removes every registration, ours on every nexus included.
        for (PathEntry p : device.paths()) {
            p.setRegistration(p.state() == PathState.ACTIVE ? Registration.NO : Registration.UNKNOWN);
        }
        state.cleared();
        device.signalPathsChanged();
        return PrResult.ok("");
    }

    PrResult preempt(long rk, long sark, PrType type, boolean abort) {
        if (sark == state.key() && state.key() != 0 && rk == state.key()) {
            return moves.selfPreempt(type, abort); // type change, or moving the reservation
        }
        // Under an all-registrants reservation, a PREEMPT with SARK 0 also unregisters our other
        // nexuses until they are registered again below; IO must not go through them meanwhile.
        boolean dropsOurOtherNexuses = dropsEveryOtherNexus(sark);
        return moves.withIoSuspended(type.singleHolder() || dropsOurOtherNexuses,
                () -> preemptOther(rk, sark, type, abort, dropsOurOtherNexuses));
    }

    /**
     * A PREEMPT with SARK 0 that the LU accepts removes every registration but the issuing
     * nexus's (SPC-4) — those of our other paths too, which one device, whose only nexus is the
     * issuer, would keep. The LU accepts it only under an all-registrants reservation (without
     * one it refuses SARK 0), so its GOOD says so; what the coordinator believes it holds is no
     * guide: registering under another host's all-registrants reservation makes us a holder
     * without any command of ours saying so.
     */
    private static boolean dropsEveryOtherNexus(long sark) {
        return sark == 0 && Safeguards.REREGISTER_AFTER_PREEMPTING_ALL.on();
    }

    private PrResult preemptOther(long rk, long sark, PrType type, boolean abort, boolean dropsOurOtherNexuses) {
        Holding before = state.holding();
        PathEntry target = before != null && before.holder() != null && before.holder().usable() ? before.holder()
                : ops.anyRegisteredUsable();
        PrOut.Request req = abort ? PrOut.preemptAndAbort(rk, sark, type) : PrOut.preempt(rk, sark, type);
        String verb = abort ? "preempt-abort" : "preempt";
        OutAnswer a = ops.sendOut(target, req, verb);
        if (!a.good()) {
            return a.failure(verb + " on " + target.name());
        }
        if (dropsOurOtherNexuses) {
            // Our other nexuses are registered again before anything else on the serial executor
            // runs: the preemption check that their UNIT ATTENTION 2A/05 queues would otherwise
            // count our key once where it expects it on every path, and take that for a foreign
            // preempt (unregistering the issuer as well).
            for (PathEntry o : device.paths()) {
                if (o != target) {
                    o.setRegistration(o.state() == PathState.ACTIVE ? Registration.NO : Registration.UNKNOWN);
                }
            }
            List<PathEntry> others = new ArrayList<>(ops.activePaths());
            others.remove(target);
            ops.registerEverywhere(others);
            if (!ops.verifyKeyCount()) {
                return PrResult.ok(""); // our preempt took effect; a foreign one followed it
            }
        }
        holding.refresh(target);
        if (moves.holderDown()) {
            moves.scheduleHolderMove("the holder path " + target.name() + " failed right after our preempt");
        }
        return PrResult.ok("");
    }
}
