package io.mpathfs.control.pr;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
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
import io.mpathfs.backends.scsi.SenseKey;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Makes the multipath device behave, for Persistent Reservations, like ONE SCSI device seen
 * through ONE I_T nexus. One single-threaded executor serialises every PR command, path event and
 * preemption check (design.md, "The PR coordinator"). State: our key (persisted in the keys
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
    private final AtomicBoolean checkPending = new AtomicBoolean();

    private volatile long key;
    private volatile boolean aptpl;
    private volatile Holding holding;
    private volatile boolean preempted;
    /** A reservation move is under way: IO waits for it instead of failing for want of a path. */
    private volatile boolean settling;
    private volatile String lastEvent = "";

    public PrCoordinator(MultipathDevice device, KeysFile keysFile, boolean aptpl) {
        this(device, keysFile, aptpl, PrExecution.threads(device.name()));
    }

    public PrCoordinator(MultipathDevice device, KeysFile keysFile, boolean aptpl, PrExecution exec) {
        this.device = device;
        this.keysFile = keysFile;
        this.aptpl = aptpl;
        this.exec = exec;
        this.fanOut = new FanOut(exec.fanout());
        this.cmd = new PathCommand((path, asc, ascq) -> onUnitAttention(path, asc, ascq));
    }

    // ================================================================== start and state

    /**
     * Hooks into the device and re-learns our key: the keys file says what we had; the device says
     * whether we still have it (we may have been preempted while down).
     */
    public void start() {
        device.setLifecycle(this);
        onSerial(() -> {
            relearn();
            return null;
        });
    }

    private void relearn() {
        long stored;
        try {
            KeysFile.Entry e = keysFile.load(device.identity());
            stored = e.key();
            aptpl = aptpl || e.aptpl();
        } catch (IOException e) {
            LOG.warning(device.name() + ": cannot read keys file " + keysFile.path() + ": " + e.getMessage());
            return;
        }
        if (stored == 0) {
            return;
        }
        PathEntry p = anyUsable();
        if (p == null) {
            key = stored; // verified when a path returns
            return;
        }
        try {
            if (cmd.readKeys(p).count(stored) == 0) {
                LOG.warning(device.name() + ": key " + PrKeys.hex(stored) + " from the keys file is no longer "
                        + "registered on the device: preempted while we were down");
                markPreempted("preempted while mpathfs was not running");
                return;
            }
        } catch (PathException | PathCommand.PrInFailed e) {
            key = stored;
            return;
        }
        key = stored;
        registerEverywhere(List.copyOf(activePaths()));
        verifyKeyCount();
        learnHolding(p);
        LOG.info(device.name() + ": re-learnt key " + PrKeys.hex(key) + " from " + keysFile.path());
    }

    /** At start we know we hold a reservation but not through which nexus: a single holder is moved to a known one. */
    private void learnHolding(PathEntry p) {
        try {
            ReadReservationData r = cmd.readReservation(p);
            if (r.reserved() && r.key() == key && r.type().isPresent()) {
                holding = new Holding(r.type().get(), null);
                if (r.type().get().singleHolder()) {
                    selfPreempt(r.type().get(), false);
                }
            }
        } catch (PathException | PathCommand.PrInFailed ignored) {
            // left unknown; a later command or check learns it
        }
    }

    public long key() {
        return key;
    }

    public Holding holding() {
        return holding;
    }

    public boolean preempted() {
        return preempted;
    }

    /** ctl/status: key, reservation, holder, per-path registration, gate. */
    public String status() {
        StringBuilder b = new StringBuilder();
        b.append("device ").append(device.name()).append('\n');
        b.append("identity ").append(device.identity()).append('\n');
        b.append("key ").append(key == 0 ? "none" : PrKeys.hex(key)).append('\n');
        b.append("aptpl ").append(aptpl ? "yes" : "no").append('\n');
        Holding h = holding;
        b.append("reservation ").append(h == null ? "none" : h.type().blkprName()).append('\n');
        b.append("holder ").append(h == null || h.holder() == null ? "-" : h.holder().name()).append('\n');
        b.append("pr-state ").append(preempted ? "preempted" : key != 0 ? "registered" : "unregistered").append('\n');
        b.append("gate ").append(device.gate().label()).append('\n');
        b.append("policy ").append(device.selector().name()).append('\n');
        for (PathEntry p : device.paths()) {
            b.append("path ").append(p.name()).append(' ').append(p.state().label()).append(" registered=")
                    .append(p.registration().label()).append('\n');
        }
        if (!lastEvent.isEmpty()) {
            b.append("last-event ").append(lastEvent).append('\n');
        }
        return b.toString();
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
        if (anyUsable() == null) {
            return PrResult.error(Errno.ENODEV, "no usable path to " + device.name());
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
        long rk = c.reservationKey();
        long sark = c.serviceActionKey();
        PrOut.Request req = c.ignoreKey() ? PrOut.registerAndIgnore(sark, aptpl, false)
                : PrOut.register(rk, sark, aptpl, false);
        List<PathEntry> paths = activePaths();
        List<FanOut.Outcome> outs = fanOut.run(paths, p -> cmd.out(p, req));
        List<PathEntry> took = new ArrayList<>();
        FanOut.Outcome refused = null;
        for (FanOut.Outcome o : outs) {
            if (o.transportFailed()) {
                failPath(o.path(), o.failure());
            } else if (o.good()) {
                took.add(o.path());
            } else if (refused == null || refused.result().isReservationConflict()) {
                refused = o; // prefer reporting a non-conflict error (e.g. ILLEGAL REQUEST)
            }
        }
        if (refused != null) {
            if (!took.isEmpty()) {
                undoRegistration(took);
            }
            if (refused.result().isReservationConflict() && key != 0) {
                schedulePreemptionCheck("register refused with a conflict");
            }
            return answer(refused.result(), "register on " + refused.path().name());
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
        if (sark == 0) {
            holding = null; // unregistering all our nexuses drops a reservation we held
        }
        setKey(sark);
        preempted = false;
        device.signalPathsChanged();
        return PrResult.ok("");
    }

    /** Puts back what the paths that took a partial REGISTER had before. */
    private void undoRegistration(List<PathEntry> took) {
        long prior = key;
        fanOut.run(took, p -> cmd.out(p, PrOut.registerAndIgnore(
                p.registration() == Registration.YES ? prior : 0, aptpl, false)));
    }

    private PrResult reserve(long rk, PrType type) {
        Holding h = holding;
        PathEntry target;
        if (h != null && h.type() == type && h.holder() != null && !h.holder().usable()) {
            // We hold it already; a single device answers GOOD, changing nothing.
            return PrResult.ok("");
        }
        target = h != null && h.holder() != null && h.holder().usable() ? h.holder() : anyRegisteredUsable();
        ScsiResult r;
        try {
            r = cmd.out(target, PrOut.reserve(rk, type));
        } catch (PathException e) {
            failPath(target, e);
            return PrResult.error(Errno.EIO, "reserve: " + e.getMessage());
        }
        if (r.isGood()) {
            if (h == null || h.type() != type) {
                holding = new Holding(type, type.allRegistrants() ? null : target);
                device.signalPathsChanged();
            }
            return PrResult.ok("");
        }
        return answer(r, "reserve on " + target.name());
    }

    private PrResult release(long rk, PrType type) {
        Holding h = holding;
        PathEntry target;
        if (h != null && !h.type().allRegistrants() && (h.holder() == null || !h.holder().usable())) {
            // RELEASE must come from the holder nexus; its path is down (or unknown): move the
            // reservation to a working path first, then release there.
            PrResult moved = selfPreempt(h.type(), false);
            if (!moved.isOk()) {
                return moved;
            }
            h = holding;
        }
        target = h != null && h.holder() != null && h.holder().usable() ? h.holder() : anyRegisteredUsable();
        ScsiResult r;
        try {
            r = cmd.out(target, PrOut.release(rk, type));
        } catch (PathException e) {
            failPath(target, e);
            return PrResult.error(Errno.EIO, "release: " + e.getMessage());
        }
        if (!r.isGood()) {
            return answer(r, "release on " + target.name());
        }
        refreshHolding(target);
        return PrResult.ok("");
    }

    private PrResult clear(long rk) {
        PathEntry target = anyRegisteredUsable();
        ScsiResult r;
        try {
            r = cmd.out(target, PrOut.clear(rk));
        } catch (PathException e) {
            failPath(target, e);
            return PrResult.error(Errno.EIO, "clear: " + e.getMessage());
        }
        if (!r.isGood()) {
            return answer(r, "clear on " + target.name());
        }
        // CLEAR removes every registration, ours on every nexus included.
        for (PathEntry p : device.paths()) {
            p.setRegistration(p.state() == PathState.ACTIVE ? Registration.NO : Registration.UNKNOWN);
        }
        holding = null;
        setKey(0);
        preempted = false;
        device.signalPathsChanged();
        return PrResult.ok("");
    }

    private PrResult preempt(long rk, long sark, PrType type, boolean abort) {
        if (sark == key && key != 0 && rk == key) {
            return selfPreempt(type, abort); // type change, or moving the reservation
        }
        Holding before = holding;
        PathEntry target = before != null && before.holder() != null && before.holder().usable() ? before.holder()
                : anyRegisteredUsable();
        PrOut.Request req = abort ? PrOut.preemptAndAbort(rk, sark, type) : PrOut.preempt(rk, sark, type);
        ScsiResult r;
        try {
            r = cmd.out(target, req);
        } catch (PathException e) {
            failPath(target, e);
            return PrResult.error(Errno.EIO, (abort ? "preempt-abort: " : "preempt: ") + e.getMessage());
        }
        if (!r.isGood()) {
            return answer(r, (abort ? "preempt-abort on " : "preempt on ") + target.name());
        }
        refreshHolding(target);
        return PrResult.ok("");
    }

    /**
     * PREEMPT of our own key on one path, with IO suspended: that path becomes the holder (with the
     * given type), every other nexus of ours loses its registration and is registered again; then
     * the key count is re-read — short means a foreign preempt came in between, and what we just
     * re-registered is removed again, so our key is never resurrected.
     */
    private PrResult selfPreempt(PrType type, boolean abort) {
        settling = true;
        try {
            device.gate().suspend();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settling = false;
            return PrResult.error(Errno.EINTR, "interrupted");
        }
        try {
            PathEntry p = anyRegisteredUsable();
            PrOut.Request req = abort ? PrOut.preemptAndAbort(key, key, type) : PrOut.preempt(key, key, type);
            ScsiResult r;
            try {
                r = cmd.out(p, req);
            } catch (PathException e) {
                failPath(p, e);
                return PrResult.error(Errno.EIO, "self-preempt on " + p.name() + ": " + e.getMessage());
            }
            if (!r.isGood()) {
                if (r.isReservationConflict()) {
                    checkPreemption(); // our key may be gone already
                }
                return answer(r, "preempt on " + p.name());
            }
            for (PathEntry o : device.paths()) {
                if (o != p) {
                    o.setRegistration(o.state() == PathState.ACTIVE ? Registration.NO : Registration.UNKNOWN);
                }
            }
            p.setRegistration(Registration.YES);
            List<PathEntry> others = new ArrayList<>(activePaths());
            others.remove(p);
            registerEverywhere(others);
            if (!verifyKeyCount()) {
                return PrResult.ok(""); // our preempt took effect; a foreign one followed it
            }
            refreshHolding(p, true);
            lastEvent = "reservation " + type.blkprName() + " now held via " + p.name();
            return PrResult.ok("");
        } finally {
            settling = false;
            device.gate().resume();
            device.signalPathsChanged();
        }
    }

    /** REGISTER AND IGNORE EXISTING KEY with our key on the given paths. */
    private void registerEverywhere(List<PathEntry> paths) {
        long k = key;
        List<FanOut.Outcome> outs = fanOut.run(paths, p -> cmd.out(p, PrOut.registerAndIgnore(k, aptpl, false)));
        for (FanOut.Outcome o : outs) {
            if (o.transportFailed()) {
                failPath(o.path(), o.failure());
            } else {
                o.path().setRegistration(o.good() ? Registration.YES : Registration.UNKNOWN);
            }
        }
    }

    /**
     * After re-registering: the device must show our key at least once per path we think is
     * registered. Fewer means a foreign preempt removed some: unregister what we re-registered and
     * go to PREEMPTED. Returns whether our registration stands.
     */
    private boolean verifyKeyCount() {
        long expected = device.paths().stream().filter(x -> x.registration() == Registration.YES).count();
        PathEntry p = anyUsable();
        if (p == null) {
            return true;
        }
        try {
            long seen = cmd.readKeys(p).count(key);
            if (seen >= expected) {
                return true;
            }
            LOG.warning(device.name() + ": key " + PrKeys.hex(key) + " registered " + seen + " times, expected "
                    + expected + ": preempted by another host during re-registration");
        } catch (PathException | PathCommand.PrInFailed e) {
            return true; // cannot tell; the next check will
        }
        List<PathEntry> mine = device.paths().stream().filter(x -> x.registration() == Registration.YES
                && x.usable()).toList();
        fanOut.run(mine, x -> cmd.out(x, PrOut.registerAndIgnore(0, aptpl, false)));
        markPreempted("preempted during re-registration");
        return false;
    }

    private PrResult readIn(PrInAction action) {
        PathEntry p = anyRegisteredUsable();
        try {
            byte[] data = cmd.in(p, action);
            return PrResult.ok(switch (action) {
                case READ_KEYS -> PrFormat.keys(ReadKeysData.decode(data));
                case READ_RESERVATION -> PrFormat.reservation(ReadReservationData.decode(data));
                case READ_FULL_STATUS -> PrFormat.fullStatus(FullStatusData.decode(data));
                case REPORT_CAPABILITIES -> PrFormat.capabilities(CapabilitiesData.decode(data));
            });
        } catch (PathException e) {
            failPath(p, e);
            return PrResult.error(Errno.EIO, e.getMessage());
        } catch (PathCommand.PrInFailed e) {
            return answer(e.result, action.name().toLowerCase().replace('_', '-'));
        } catch (RuntimeException e) {
            return PrResult.error(Errno.EIO, "malformed PR IN data from " + p.name() + ": " + e.getMessage());
        }
    }

    /** READ RESERVATION through any usable path, for IOC_PR_READ_RESERVATION; null when it fails. */
    public ReadReservationData readReservationData() {
        return onSerial(() -> {
            PathEntry p = anyRegisteredUsable();
            if (p == null) {
                return null;
            }
            try {
                return cmd.readReservation(p);
            } catch (PathException e) {
                failPath(p, e);
                return null;
            } catch (PathCommand.PrInFailed e) {
                return null;
            }
        });
    }

    private void refreshHolding(PathEntry via) {
        refreshHolding(via, false);
    }

    /**
     * Learns whether (and how) we hold the reservation, from the device's answer. viaIsHolder: the
     * command just sent on via made it the holder (PREEMPT of the holder's key); otherwise a
     * holder we already knew stays the holder.
     */
    private void refreshHolding(PathEntry via, boolean viaIsHolder) {
        try {
            ReadReservationData r = cmd.readReservation(via);
            if (r.reserved() && r.key() == key && key != 0 && r.type().isPresent()) {
                PrType t = r.type().get();
                Holding h = holding;
                boolean keepKnown = !viaIsHolder && h != null && h.holder() != null && h.type() == t;
                PathEntry holder = t.allRegistrants() ? null : keepKnown ? h.holder() : via;
                holding = new Holding(t, holder);
            } else {
                holding = null;
            }
        } catch (PathException e) {
            failPath(via, e);
        } catch (PathCommand.PrInFailed e) {
            // leave as is: the next check corrects it
        }
        device.signalPathsChanged();
    }

    // ================================================================== preemption detection

    private void onUnitAttention(DevicePath path, int asc, int ascq) {
        if (asc == 0x2a && (ascq == 0x03 || ascq == 0x04 || ascq == 0x05)) {
            schedulePreemptionCheck(String.format("unit attention 2A/%02X on %s", ascq, path.name()));
        }
    }

    private void schedulePreemptionCheck(String why) {
        if (checkPending.compareAndSet(false, true)) {
            LOG.info(device.name() + ": checking for preemption: " + why);
            exec.post(() -> {
                checkPending.set(false);
                try {
                    checkPreemption();
                } catch (RuntimeException e) {
                    LOG.warning(device.name() + ": preemption check failed: " + e);
                }
            });
        }
    }

    /** READ KEYS / READ RESERVATION: is our key still there, do we still hold what we think? */
    private void checkPreemption() {
        if (key == 0) {
            return;
        }
        PathEntry p = anyUsable();
        if (p == null) {
            return;
        }
        try {
            if (cmd.readKeys(p).count(key) == 0) {
                markPreempted("key " + PrKeys.hex(key) + " removed by another host");
                return;
            }
        } catch (PathException e) {
            failPath(p, e);
            return;
        } catch (PathCommand.PrInFailed e) {
            return;
        }
        if (holding != null) {
            refreshHolding(holding.holder() != null && holding.holder().usable() ? holding.holder() : p);
        }
    }

    /** Our key is gone: every path unregistered, nothing re-registers until the user registers again. */
    private void markPreempted(String why) {
        LOG.warning(device.name() + ": " + why + "; now preempted");
        for (PathEntry p : device.paths()) {
            p.setRegistration(Registration.NO);
        }
        holding = null;
        lastEvent = why;
        setKey(0); // persisted before anyone can see the PREEMPTED state
        preempted = true;
        device.signalPathsChanged();
    }

    // ================================================================== path events (PathLifecycle)

    /** Register a returning path before it carries IO (or remove a stale key when we have none). */
    @Override
    public boolean beforeReinstate(PathEntry p) {
        return onSerial(() -> preparePath(p));
    }

    @Override
    public boolean beforeAdd(PathEntry p) {
        return onSerial(() -> preparePath(p));
    }

    private boolean preparePath(PathEntry p) {
        if (!PathCommand.hasScsi(p)) {
            return key == 0; // a path that cannot register must not carry IO of a registered device
        }
        long k = key;
        ScsiResult r;
        try {
            r = cmd.out(p, PrOut.registerAndIgnore(k, aptpl, false));
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
                cmd.out(p, PrOut.registerAndIgnore(0, aptpl, false));
                markPreempted("key " + PrKeys.hex(k) + " found preempted when " + p.name() + " returned");
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

    @Override
    public void pathFailed(PathEntry p) {
        Holding h = holding;
        if (h != null && h.type().singleHolder() && h.holder() == p) {
            settling = true; // IO waits for the move instead of failing
            exec.post(() -> {
                try {
                    Holding now = holding;
                    if (now != null && now.holder() == p && anyUsable() != null) {
                        LOG.warning(device.name() + ": holder path " + p.name() + " failed: moving the "
                                + now.type().blkprName() + " reservation");
                        selfPreempt(now.type(), false);
                    }
                } finally {
                    settling = false;
                    device.signalPathsChanged();
                }
            });
        }
    }

    @Override
    public void reservationConflict(PathEntry p, boolean write) {
        if (key != 0 && p.registration() == Registration.YES) {
            schedulePreemptionCheck("reservation conflict on IO via " + p.name());
        }
    }

    @Override
    public void unitAttention(PathEntry p, int asc, int ascq) {
        onUnitAttention(p.path(), asc, ascq);
    }

    /**
     * Only registered paths carry IO while we have a key; with a single-holder reservation (WE for
     * writes, EA for everything) only the holder path does, as on one device every other nexus
     * would conflict.
     */
    @Override
    public List<PathEntry> route(List<PathEntry> usable, boolean write) {
        if (key == 0) {
            return usable;
        }
        List<PathEntry> registered = new ArrayList<>(usable.size());
        for (PathEntry p : usable) {
            if (p.registration() == Registration.YES) {
                registered.add(p);
            }
        }
        Holding h = holding;
        if (h != null && h.type().singleHolder() && h.holder() != null
                && (h.type() == PrType.EXCLUSIVE_ACCESS || write)) {
            return registered.contains(h.holder()) ? List.of(h.holder()) : List.of();
        }
        return registered;
    }

    @Override
    public boolean settling() {
        return settling;
    }

    // ================================================================== helpers

    private List<PathEntry> activePaths() {
        List<PathEntry> out = new ArrayList<>();
        for (PathEntry p : device.paths()) {
            if (p.state() == PathState.ACTIVE && !p.removed() && PathCommand.hasScsi(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private PathEntry anyUsable() {
        for (PathEntry p : activePaths()) {
            return p;
        }
        return null;
    }

    /** A usable path registered with our key, else any usable path (the device then answers). */
    private PathEntry anyRegisteredUsable() {
        for (PathEntry p : activePaths()) {
            if (p.registration() == Registration.YES) {
                return p;
            }
        }
        return anyUsable();
    }

    private void failPath(PathEntry p, PathException e) {
        p.recordError(e.getMessage());
        if (e.errorClass() == ErrorClass.PATH_FAILURE) {
            device.failPath(p, "PR command: " + e.getMessage());
        }
    }

    private void setKey(long k) {
        key = k;
        try {
            keysFile.store(device.identity(), k, aptpl);
        } catch (IOException e) {
            LOG.warning(device.name() + ": cannot write keys file " + keysFile.path() + ": " + e.getMessage());
        }
    }

    /** The device's refusal, in errno terms: conflict → EBADE, ILLEGAL REQUEST → EINVAL, else EIO. */
    private static PrResult answer(ScsiResult r, String what) {
        if (r.isReservationConflict()) {
            return PrResult.conflict(what);
        }
        if (r.isCheckCondition() && r.senseKey() == SenseKey.ILLEGAL_REQUEST) {
            return PrResult.error(Errno.EINVAL, what + ": " + r.describe());
        }
        return PrResult.error(Errno.EIO, what + ": " + r.describe());
    }

    private <T> T onSerial(Callable<T> task) {
        return exec.call(task);
    }

    @Override
    public void close() {
        exec.close();
    }
}
