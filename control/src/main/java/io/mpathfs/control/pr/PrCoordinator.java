package io.mpathfs.control.pr;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathLifecycle;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * Makes the multipath device behave, for Persistent Reservations, like ONE SCSI device seen
 * through ONE I_T nexus. One single-threaded executor serialises every PR command, path event and
 * preemption check. State: our key (persisted in the keys
 * file), the reservation we hold, and each path's registration (in {@link PathEntry}).
 *
 * <p>Rules, in short: REGISTER goes to every usable path in parallel (undone on partial failure);
 * a returning or new path is registered and the key re-read before it carries IO; any sign of
 * preemption (UNIT ATTENTION 2A/03-05, a conflict on a registered path) triggers a check; a type
 * change or a dead holder path is handled by self-preempt with IO suspended, and a foreign
 * preempt in that window never leaves our key resurrected.
 */
public final class PrCoordinator implements PathLifecycle, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final KeysFile keysFile;
    private final PrExecution exec;
    private final FanOut fanOut;
    private final PathCommand cmd;
    private final PrState state;
    private final PathRegistrar ops;
    private final PreemptionWatch watch;
    private final ReservationMoves moves;

    public PrCoordinator(MultipathDevice device, KeysFile keysFile, boolean aptpl) {
        this(device, keysFile, aptpl, PrExecution.threads(device.name()));
    }

    public PrCoordinator(MultipathDevice device, KeysFile keysFile, boolean aptpl, PrExecution exec) {
        this.device = device;
        this.keysFile = keysFile;
        this.exec = exec;
        this.fanOut = new FanOut(exec.fanout());
        this.cmd = new PathCommand(this);
        this.state = new PrState(device, keysFile, aptpl);
        this.ops = new PathRegistrar(device, state, cmd, fanOut);
        this.watch = new PreemptionWatch(device, state, ops, exec);
        this.moves = new ReservationMoves(device, state, ops, cmd, exec, watch);
    }

    // ================================================================== start and state

    /**
     * Hooks into the device and re-learns our key: the keys file says what we had; the device says
     * whether we still have it (we may have been preempted while down).
     */
    public void start() {
        device.setLifecycle(this);
        onSerial(() -> {
            ops.learnPorts();
            relearn();
            return null;
        });
    }

    private void relearn() {
        long stored;
        try {
            KeysFile.Entry e = keysFile.load(device.identity());
            stored = e.key();
            state.storedAptpl(e.aptpl());
        } catch (IOException e) {
            LOG.warning(device.name() + ": cannot read keys file " + keysFile.path() + ": " + e.getMessage());
            return;
        }
        if (stored == 0) {
            return;
        }
        PathEntry p = ops.anyUsable();
        if (p == null) {
            state.restoredKey(stored); // verified when a path returns
            return;
        }
        try {
            if (cmd.readKeys(p).count(stored) == 0) {
                LOG.warning(device.name() + ": key " + PrKeys.hex(stored) + " from the keys file is no longer "
                        + "registered on the device: preempted while we were down");
                state.markPreempted("preempted while mpathfs was not running");
                return;
            }
        } catch (PathException | PathCommand.PrInFailed e) {
            state.restoredKey(stored);
            return;
        }
        state.restoredKey(stored);
        ops.registerEverywhere(List.copyOf(ops.activePaths()));
        ops.verifyKeyCount();
        learnHolding(p);
        LOG.info(device.name() + ": re-learnt key " + PrKeys.hex(state.key()) + " from " + keysFile.path());
    }

    /**
     * At start we know we hold a reservation but not through which nexus: the device's READ FULL
     * STATUS names the holder's port; a single holder we cannot name is moved to a known path.
     */
    private void learnHolding(PathEntry p) {
        try {
            ReadReservationData r = cmd.readReservation(p);
            if (ops.ours(r)) {
                PathEntry holder = ops.reportedHolder();
                state.held(new Holding(r.type().get(), holder));
                if (holder == null && r.type().get().singleHolder()) {
                    // IO under WE/EA must go through the holder nexus: make a known one the holder.
                    moves.selfPreempt(r.type().get(), false);
                }
            }
        } catch (PathException | PathCommand.PrInFailed ignored) {
            // left unknown; a later command or check learns it
        }
    }

    public long key() {
        return state.key();
    }

    public Holding holding() {
        return state.holding();
    }

    public boolean preempted() {
        return state.preempted();
    }

    /** ctl/status: key, reservation, holder, per-path registration, gate. */
    public String status() {
        return state.status();
    }

    // ================================================================== commands

    /** Runs one blkpr-style command; blocks until the coordinator has carried it out. */
    public PrResult execute(PrCommand c) {
        return onSerial(() -> dispatch(c));
    }

    private PrResult dispatch(PrCommand c) {
        if (device.paths().stream().noneMatch(PathCommand::hasScsi)) {
            return PrResult.error(Errno.EOPNOTSUPP, "the paths of " + device.name()
                    + " have no SCSI command channel: no Persistent Reservations on this backend");
        }
        if (ops.anyUsable() == null) {
            return PrResult.noPath(device.name());
        }
        return switch (c.verb()) {
            case REGISTER -> register(c);
            case RESERVE -> reserve(c.reservationKey(), c.type().orElseThrow());
            case RELEASE -> release(c.reservationKey(), c.type().orElseThrow());
            case CLEAR -> clear(c.reservationKey());
            case PREEMPT -> preempt(c.reservationKey(), c.serviceActionKey(), c.type().orElseThrow(), false);
            case PREEMPT_ABORT -> preempt(c.reservationKey(), c.serviceActionKey(), c.type().orElseThrow(), true);
            case READ_KEYS -> readIn(PrInAction.READ_KEYS);
            case READ_RESERVATION -> readIn(PrInAction.READ_RESERVATION);
            case READ_FULL_STATUS -> readIn(PrInAction.READ_FULL_STATUS);
            case REPORT_CAPABILITIES -> readIn(PrInAction.REPORT_CAPABILITIES);
        };
    }

    /**
     * REGISTER / REGISTER AND IGNORE on every usable path in parallel, exactly as the user gave it.
     * All paths agree → done. Some refuse → undo the ones that took it, and answer what the device
     * answered. Paths down now are brought in line when they return (beforeReinstate).
     */
    private PrResult register(PrCommand c) {
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
                : h.type().allRegistrants() ? ops.reportedHolder() : h.holder();
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

    private PrResult reserve(long rk, PrType type) {
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
            if (now != null && ops.ours(now)) {
                // Ours: the conflict was our other nexus's. Of the same type, one device answers
                // its holder GOOD; of another type, a conflict.
                return now.type().get() == type ? PrResult.ok("") : PrResult.fromDevice(r, "reserve on " + target.name());
            }
            if (now != null) {
                // Not ours any more: a foreign PREEMPT or CLEAR came before or during our RESERVE.
                // Asked again of the device as it stands, the RESERVE gets the
                // answer one device gives after that command.
                state.notHeld();
                device.signalPathsChanged();
                return reserveNow(rk, type);
            }
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

    private PrResult release(long rk, PrType type) {
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
        ops.refreshHolding(target);
        return PrResult.ok("");
    }

    private PrResult clear(long rk) {
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

    private PrResult preempt(long rk, long sark, PrType type, boolean abort) {
        if (sark == state.key() && state.key() != 0 && rk == state.key()) {
            return moves.selfPreempt(type, abort); // type change, or moving the reservation
        }
        return moves.withIoSuspended(type.singleHolder(), () -> preemptOther(rk, sark, type, abort));
    }

    private PrResult preemptOther(long rk, long sark, PrType type, boolean abort) {
        Holding before = state.holding();
        PathEntry target = before != null && before.holder() != null && before.holder().usable() ? before.holder()
                : ops.anyRegisteredUsable();
        PrOut.Request req = abort ? PrOut.preemptAndAbort(rk, sark, type) : PrOut.preempt(rk, sark, type);
        String verb = abort ? "preempt-abort" : "preempt";
        OutAnswer a = ops.sendOut(target, req, verb);
        if (!a.good()) {
            return a.failure(verb + " on " + target.name());
        }
        ops.refreshHolding(target);
        return PrResult.ok("");
    }

    private PrResult readIn(PrInAction action) {
        PathEntry p = ops.anyRegisteredUsable();
        try {
            byte[] data = cmd.in(p, action);
            return PrResult.ok(switch (action) {
                case READ_KEYS -> PrFormat.keys(ReadKeysData.decode(data));
                case READ_RESERVATION -> PrFormat.reservation(ReadReservationData.decode(data));
                case READ_FULL_STATUS -> PrFormat.fullStatus(FullStatusData.decode(data));
                case REPORT_CAPABILITIES -> PrFormat.capabilities(CapabilitiesData.decode(data));
            });
        } catch (PathException e) {
            ops.failPath(p, e);
            return PrResult.error(Errno.EIO, e.getMessage());
        } catch (PathCommand.PrInFailed e) {
            return PrResult.fromDevice(e.result, action.name().toLowerCase().replace('_', '-'));
        } catch (RuntimeException e) {
            return PrResult.error(Errno.EIO, "malformed PR IN data from " + p.name() + ": " + e.getMessage());
        }
    }

    /** READ RESERVATION through any usable path, for IOC_PR_READ_RESERVATION; null when it fails. */
    public ReadReservationData readReservationData() {
        return onSerial(() -> {
            PathEntry p = ops.anyRegisteredUsable();
            if (p == null) {
                return null;
            }
            try {
                return cmd.readReservation(p);
            } catch (PathException e) {
                ops.failPath(p, e);
                return null;
            } catch (PathCommand.PrInFailed e) {
                return null;
            }
        });
    }

    // ================================================================== preemption detection

    // ================================================================== path events (PathAdmission, IoHooks)

    /** Register a returning path before it carries IO (or remove a stale key when we have none). */
    @Override
    public boolean beforeReinstate(PathEntry p) {
        return onSerial(() -> preparedWithHolder(p));
    }

    @Override
    public boolean beforeAdd(PathEntry p) {
        return onSerial(() -> preparedWithHolder(p));
    }

    /**
     * Registers a returning or new path; if we hold a WE/EA reservation whose holder path is
     * down (its move found no path then), the returning path is where it moves to.
     */
    private boolean preparedWithHolder(PathEntry p) {
        boolean ok = ops.preparePath(p);
        if (ok && moves.holderDown()) {
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
        if (h != null && h.type().singleHolder() && h.holder() != null
                && (h.type() == PrType.EXCLUSIVE_ACCESS || write)) {
            return registered.contains(h.holder()) ? List.of(h.holder()) : List.of();
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

    // ================================================================== helpers

    private <T> T onSerial(Callable<T> task) {
        return exec.call(task);
    }

    @Override
    public void close() {
        exec.close();
    }
}
