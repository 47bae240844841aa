package io.mpathfs.control.pr;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathLifecycle;
import io.mpathfs.nativeshim.Errno;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * Makes the multipath device behave, for Persistent Reservations, like ONE SCSI device seen
 * through ONE I_T nexus. One single-threaded executor serialises every PR command, path event and
 * preemption check. State: our key (persisted in the keys file), the reservation we hold, and
 * each path's registration (in {@link PathEntry}).
 *
 * <p>Rules, in short: REGISTER goes to every usable path in parallel (undone on partial failure);
 * a returning or new path is registered and the key re-read before it carries IO; any sign of
 * preemption (UNIT ATTENTION 2A/03-05, a conflict on a registered path) triggers a check; a type
 * change or a dead holder path is handled by self-preempt with IO suspended, and a foreign
 * preempt in that window never leaves our key resurrected.
 *
 * <p>This class is the facade: it puts the parts together, learns our key at start and runs each
 * command on the serial executor. The PR OUT verbs are {@link PrOutVerbs}; the hooks the device
 * calls on path events and for IO routing are {@link PrPathHooks}; the per-path work is
 * {@link PathRegistrar}; which reservation we hold is learnt by {@link HoldingReader}; moves of
 * the reservation are {@link ReservationMoves}; preemption detection is {@link PreemptionWatch};
 * what the coordinator knows is {@link PrState}.
 */
public final class PrCoordinator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final KeysFile keysFile;
    private final PrExecution exec;
    private final PathCommand cmd;
    private final PrState state;
    private final PathRegistrar ops;
    private final HoldingReader holding;
    private final ReservationMoves moves;
    private final PrOutVerbs verbs;
    private final PrPathHooks hooks;

    public PrCoordinator(MultipathDevice device, KeysFile keysFile, boolean aptpl) {
        this(device, keysFile, aptpl, PrExecution.threads(device.name()));
    }

    public PrCoordinator(MultipathDevice device, KeysFile keysFile, boolean aptpl, PrExecution exec) {
        this.device = device;
        this.keysFile = keysFile;
        this.exec = exec;
        FanOut fanOut = new FanOut(exec.fanout());
        this.cmd = new PathCommand(this::unitAttention);
        this.state = new PrState(device, keysFile, aptpl);
        this.ops = new PathRegistrar(device, state, cmd, fanOut);
        this.holding = new HoldingReader(device, state, cmd, ops);
        PreemptionWatch watch = new PreemptionWatch(device, state, ops, holding, exec);
        this.moves = new ReservationMoves(device, state, ops, holding, cmd, exec, watch);
        this.verbs = new PrOutVerbs(device, state, ops, holding, cmd, fanOut, watch, moves);
        this.hooks = new PrPathHooks(state, ops, holding, watch, moves, exec);
    }

    // ================================================================== start and state

    /**
     * Hooks into the device and re-learns our key: the keys file says what we had; the device says
     * whether we still have it (we may have been preempted while down).
     */
    public void start() {
        device.setLifecycle(hooks);
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
        state.restoredKey(stored);
        // Each path is brought in line as a returning one is (look, register if it must, look
        // again): a foreign preempt landing meanwhile is never undone by our REGISTER, and a path
        // that cannot be looked at is failed, to be prepared when it answers. No path carries IO
        // on a registration we have not seen.
        for (PathEntry p : List.copyOf(ops.activePaths())) {
            if (!ops.preparePath(p)) {
                device.failPath(p, "not prepared at start: " + p.lastError());
            }
        }
        if (state.key() == 0) {
            return; // preempted while we were down, or while we looked
        }
        learnHolding();
        LOG.info(device.name() + ": re-learnt key " + PrKeys.hex(state.key()) + " from " + keysFile.path());
    }

    /**
     * At start we know our key but not which reservation we hold, nor through which nexus: any
     * path that answers tells (one that dies on the way is failed), and READ FULL STATUS names the
     * holder's port; a single holder we cannot name is moved to a known one. Until some path has
     * told, IO would go to a non-holder nexus of ours unknowingly: when none answers now, the
     * first path to be prepared is asked.
     */
    private void learnHolding() {
        state.holdingToBeLearnt();
        for (PathEntry p : ops.activePaths()) {
            if (holding.learntVia(p)) {
                Holding h = state.holding();
                if (h != null && !h.type().allRegistrants()) {
                    PathEntry holder = holding.reportedHolder();
                    if (holder != null) {
                        state.held(new Holding(h.type(), holder));
                        if (moves.holderDown()) {
                            // The array moved the target port groups while we were down: the
                            // holder is in one that takes no IO, and moves as for a dead holder.
                            moves.scheduleHolderMove("holder path " + holder.name() + " is in a target port group "
                                    + "that takes no IO at start");
                        }
                    } else if (h.type().singleHolder()) {
                        moves.selfPreempt(h.type(), false);
                    }
                }
                return;
            }
        }
    }

    /** The coordinator's part in the device's path events and IO routing (what start hooks in). */
    public PathLifecycle lifecycle() {
        return hooks;
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
            case REGISTER -> verbs.register(c);
            case RESERVE -> verbs.reserve(c.reservationKey(), c.type().orElseThrow());
            case RELEASE -> verbs.release(c.reservationKey(), c.type().orElseThrow());
            case CLEAR -> verbs.clear(c.reservationKey());
            case PREEMPT -> verbs.preempt(c.reservationKey(), c.serviceActionKey(), c.type().orElseThrow(), false);
            case PREEMPT_ABORT -> verbs.preempt(c.reservationKey(), c.serviceActionKey(), c.type().orElseThrow(), true);
            case READ_KEYS -> readIn(PrInAction.READ_KEYS);
            case READ_RESERVATION -> readIn(PrInAction.READ_RESERVATION);
            case READ_FULL_STATUS -> readIn(PrInAction.READ_FULL_STATUS);
            case REPORT_CAPABILITIES -> readIn(PrInAction.REPORT_CAPABILITIES);
        };
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

    // ================================================================== helpers

    /** PR commands' unit attentions take the one route there is: the hooks' unitAttention. */
    private void unitAttention(PathEntry p, int asc, int ascq) {
        hooks.unitAttention(p, asc, ascq);
    }

    private <T> T onSerial(Callable<T> task) {
        return exec.call(task);
    }

    @Override
    public void close() {
        exec.close();
    }
}
