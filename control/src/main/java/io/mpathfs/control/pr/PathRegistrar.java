package io.mpathfs.control.pr;

import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.PathState;
import io.mpathfs.control.Registration;
import io.mpathfs.nativeshim.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The coordinator's work on individual paths: choosing a path for a command, registering our key
 * on paths (all at once, or a returning one), undoing a partial registration, and re-counting our
 * key on the device. Which reservation we hold is learnt by {@link HoldingReader}.
 */
final class PathRegistrar {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    private final MultipathDevice device;
    private final PrState state;
    private final PathCommand cmd;
    private final FanOut fanOut;

    PathRegistrar(MultipathDevice device, PrState state, PathCommand cmd, FanOut fanOut) {
        this.device = device;
        this.state = state;
        this.cmd = cmd;
        this.fanOut = fanOut;
    }

    /** REGISTER AND IGNORE EXISTING KEY with our key on the given paths. */
    void registerEverywhere(List<PathEntry> paths) {
        long k = state.key();
        List<FanOut.Outcome> outs = fanOut.run(paths, p -> cmd.out(p, PrOut.registerAndIgnore(k, state.aptpl(), false)));
        for (FanOut.Outcome o : outs) {
            if (o.transportFailed()) {
                failPath(o.path(), o.failure());
            } else {
                o.path().setRegistration(o.good() ? Registration.YES : Registration.UNKNOWN);
            }
        }
    }

    /**
     * Removes our registration from each path's nexus (REGISTER AND IGNORE, key 0). A path this
     * does not reach keeps what it had on the device, whatever we note for it: it is failed, so
     * that it is cleaned (preparePath) before it carries IO again: a path that went away during
     * this and came straight back would keep a stale key, and our next REGISTER would conflict.
     */
    void unregister(List<PathEntry> paths) {
        failUnreached(fanOut.run(paths, p -> cmd.out(p, PrOut.registerAndIgnore(0, state.aptpl(), false))));
    }

    private void failUnreached(List<FanOut.Outcome> outs) {
        for (FanOut.Outcome o : outs) {
            if (o.transportFailed()) {
                failPath(o.path(), o.failure());
            }
        }
    }

    /**
     * Puts back what the paths that took a partial REGISTER had before — unless our key is gone
     * from the device meanwhile (a preempt is often why the others refused): putting it back
     * would resurrect it, so then the paths that took the change are unregistered instead, and
     * we are preempted.
     */
    void undoRegistration(List<PathEntry> took, long tookKey) {
        long prior = state.key();
        if (prior != 0 && !priorKeyStillThere(prior, took, tookKey)) {
            unregister(took);
            state.markPreempted("key " + PrKeys.hex(prior) + " preempted while it was being changed");
            return;
        }
        failUnreached(fanOut.run(took, p -> cmd.out(p, PrOut.registerAndIgnore(
                p.registration() == Registration.YES ? prior : 0, state.aptpl(), false))));
        verifyKeyCount();
    }

    /**
     * Does the device still hold our prior key on some nexus other than those that just took the
     * change (which hold tookKey now — the prior key itself when it was re-registered)?
     */
    private boolean priorKeyStillThere(long prior, List<PathEntry> took, long tookKey) {
        ReadKeysData keys = readKeysAnywhere();
        if (keys == null) {
            return true;
        }
        long mine = tookKey == prior ? took.size() : 0;
        return keys.count(prior) - mine > 0;
    }

    /**
     * The device must show our key at least once per path we think is registered. Fewer means a
     * foreign preempt removed some (and we registered others after it): unregister what is left
     * and go to PREEMPTED. Returns whether our registration stands. Used after every
     * re-registration and by every preemption check: one rule for "are we still registered".
     */
    boolean verifyKeyCount() {
        if (state.key() == 0) {
            return true;
        }
        long expected = device.paths().stream().filter(x -> x.registration() == Registration.YES).count();
        ReadKeysData keys = readKeysAnywhere();
        if (keys == null) {
            return true; // no path answers: cannot tell; the path's return will
        }
        long seen = keys.count(state.key());
        // A preempt removes our key from every nexus at once; none left, or fewer than the
        // paths we registered, means one came (and we re-registered some paths after it).
        if (seen >= expected && seen > 0) {
            return true;
        }
        LOG.warning(device.name() + ": key " + PrKeys.hex(state.key()) + " registered " + seen + " times, expected "
                + expected + ": preempted by another host");
        // Every path that may carry the key (YES, or UNKNOWN after an ambiguous answer); an
        // unregister of a nexus without a registration is a harmless no-op.
        List<PathEntry> mine = device.paths().stream().filter(x -> x.registration() != Registration.NO
                && x.usable()).toList();
        unregister(mine);
        state.markPreempted("preempted during re-registration");
        return false;
    }

    /** Relative target port per path, learnt once (a path's nexus does not change port). */
    private final Map<PathEntry, Integer> ports = new ConcurrentHashMap<>();
    /**
     * Paths that took our key (the value) on return and went away before any path could
     * re-count: a foreign preempt may have come just before that REGISTER, and then their
     * registration is the only one left. Until they are brought in line, the looks of other
     * returning paths do not count it as our key surviving.
     */
    private final Map<PathEntry, Long> unverified = new ConcurrentHashMap<>();

    /** p's relative target port, learnt once; -1 when p has none, or is down (and failed here). */
    int port(PathEntry p) {
        Integer known = ports.get(p);
        if (known != null) {
            return known;
        }
        try {
            int rtp = cmd.relativeTargetPort(p).orElse(-1);
            ports.put(p, rtp);
            return rtp;
        } catch (PathException e) {
            failPath(p, e);
            return -1;
        }
    }

    /** READ KEYS through the first usable path that answers (a dead one is failed on the way). */
    ReadKeysData readKeysAnywhere() {
        for (PathEntry p : activePaths()) {
            try {
                return cmd.readKeys(p);
            } catch (PathException e) {
                failPath(p, e);
            } catch (PathCommand.PrInFailed e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Registers a returning (or new) path before it carries IO — or, without a key, removes a
     * stale one. With a key: look first (is our key still registered on our other nexuses? if not,
     * a preempt came while this path was away, and it must not register the key again even for a
     * moment), register, then look again: fewer of our registrations on the other nexuses than
     * before means a preempt came in between — the registration just made is undone and we are
     * preempted. The other nexuses are counted without this path's own (READ FULL STATUS, by its
     * initiator port and relative target port), which may or may not have kept its registration
     * while it was away; one that kept our key is left as it is.
     */
    boolean preparePath(PathEntry p) {
        boolean prepared = prepare(p);
        if (prepared) {
            unverified.remove(p); // registered and re-counted, or cleaned
        }
        return prepared;
    }

    private boolean prepare(PathEntry p) {
        if (!Safeguards.REGISTER_BEFORE_REINSTATE.on()) {
            return true;
        }
        if (!PathCommand.hasScsi(p)) {
            return state.key() == 0; // a path that cannot register must not carry IO of a registered device
        }
        port(p); // learnt once, while the path answers (onlyPathThroughItsPort)
        long k = state.key();
        // Known for an iSCSI session (its ISID): then READ FULL STATUS names p's own nexus exactly,
        // and a stale registration of an ended session through the same port is not taken for it.
        Optional<String> me = p.path().initiatorPort();
        boolean recount = Safeguards.RECOUNT_KEYS_ON_PATH_RETURN.on();
        long before = 0;
        boolean sentKey = false;
        try {
            if (k != 0 && recount) {
                long others = device.paths().stream().filter(x -> x != p && x.registration() == Registration.YES).count();
                long[] seen = keyCounts(p, k, me);
                before = seen[1];
                if (seen[0] < Math.max(1, others)) { // a preempt removes p's own registration too
                    state.markPreempted("key " + PrKeys.hex(k) + " found preempted when " + p.name() + " returned");
                    k = 0; // and the path is cleaned of any stale registration below
                } else if (seen[0] > seen[1] && (me.isPresent() || onlyPathThroughItsPort(p) || keptOurKey(p, k))) {
                    // p's own nexus kept our key while it was away: it is registered. Registering it
                    // again could only do harm — a foreign CLEAR or PREEMPT landing just before our
                    // REGISTER AND IGNORE would be undone by it, and when p is our only registered
                    // nexus no re-count could tell.
                    p.setRegistration(Registration.YES);
                    return true;
                } else if (seen[0] > seen[1]) {
                    // Our key on p's port is not p's own (a twin path of ours through the same
                    // port has it), or a foreign preempt removed it a moment ago: look again.
                    seen = keyCounts(p, k, me);
                    before = seen[1];
                    if (seen[0] < Math.max(1, others)) {
                        state.markPreempted("key " + PrKeys.hex(k) + " found preempted when " + p.name() + " returned");
                        k = 0;
                    }
                }
            }
            // From here p may carry k: a REGISTER whose answer is lost may have taken effect.
            sentKey = k != 0;
            ScsiResult r = cmd.out(p, PrOut.registerAndIgnore(k, state.aptpl(), false));
            if (!r.isGood()) {
                p.recordError("register on return: " + r.describe());
                return false;
            }
            if (k == 0) {
                p.setRegistration(Registration.NO);
                return true;
            }
            long after = recount ? keyCounts(p, k, me)[1] : before;
            if (after < before) {
                cmd.out(p, PrOut.registerAndIgnore(0, state.aptpl(), false));
                state.markPreempted("key " + PrKeys.hex(k) + " on " + after + " other nexuses of ours, " + before
                        + " a moment before: preempted as " + p.name() + " returned");
                return true;
            }
        } catch (PathException e) {
            p.recordError(e.getMessage());
            recountElsewhere(p, sentKey, k, before, me);
            return false;
        } catch (PathCommand.PrInFailed e) {
            p.recordError("PR IN on return: " + e.getMessage());
            recountElsewhere(p, sentKey, k, before, me);
            return false;
        }
        p.setRegistration(Registration.YES);
        return true;
    }

    /**
     * Does p's own nexus carry key k right now? Asked with REGISTER, k as both keys: GOOD (and no
     * change) on a nexus registered with k, a conflict on any other — one atomic command, so a
     * foreign preempt cannot come between the question and the answer, as it can between a look
     * and a REGISTER AND IGNORE (which would register the key again). For a path whose port it
     * may share with another of ours, where READ FULL STATUS cannot tell whose the key is.
     */
    private boolean keptOurKey(PathEntry p, long k) throws PathException {
        return cmd.out(p, PrOut.register(k, k, state.aptpl(), false)).isGood();
    }

    /**
     * The path may have taken our key and then gave no re-count: a foreign preempt may have come
     * between the look and the REGISTER, and then this path's key is the only one left. The
     * re-count is made through another path, of the same registrations as the look counted
     * (our key on nexuses other than p's own): fewer than before means a preempt came in between,
     * and we are preempted. Counting every registration of our key instead cannot tell p's own,
     * which its REGISTER just made, from one that survived; against the paths we think registered
     * (none yet at start) it would pass. The path itself stays out and is brought in line (here:
     * its key removed) when it answers.
     */
    private void recountElsewhere(PathEntry p, boolean sentKey, long k, long before, Optional<String> me) {
        if (!sentKey || !Safeguards.RECOUNT_KEYS_ON_PATH_RETURN.on()) {
            return;
        }
        long after = keyCountWithout(p, k, me);
        if (after < 0) {
            if (before > 0) {
                unverified.put(p, k);
            }
            verifyKeyCount(); // no other path reads the registrations either: the counts it can make
            return;
        }
        if (after < before) {
            state.markPreempted("key " + PrKeys.hex(k) + " on " + after + " other nexuses of ours, " + before
                    + " a moment before: preempted as " + p.name() + " returned, which went away after its REGISTER");
        }
    }

    /**
     * Registrations of key k on nexuses other than p's own (as {@link #keyCounts} tells them),
     * read through another path; -1 when no other path answers.
     */
    private long keyCountWithout(PathEntry p, long k, Optional<String> me) {
        int mine = ports.getOrDefault(p, -1);
        for (PathEntry via : activePaths()) {
            if (via == p) {
                continue;
            }
            try {
                FullStatusData full = FullStatusData.decode(cmd.in(via, PrInAction.READ_FULL_STATUS));
                return full.descriptors().stream().filter(d -> d.key() == k && !ownNexus(d, mine, me)).count();
            } catch (PathException e) {
                failPath(via, e);
            } catch (PathCommand.PrInFailed | RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Is p the only path of ours through its target port? Only then does READ FULL STATUS (which
     * names a nexus by relative target port and an initiator TransportID we know only for iSCSI
     * sessions) tell p's own registration apart by port. A path whose port was never learnt
     * counts as a possible twin.
     */
    private boolean onlyPathThroughItsPort(PathEntry p) {
        Integer mine = ports.get(p);
        if (mine == null || mine < 0) {
            return false;
        }
        for (PathEntry x : device.paths()) {
            if (x == p) {
                continue;
            }
            Integer q = ports.get(x);
            if (q == null || q < 0 || q.equals(mine)) {
                return false;
            }
        }
        return true;
    }

    /** Learns the target port of every usable path (once each; see onlyPathThroughItsPort). */
    void learnPorts() {
        for (PathEntry p : activePaths()) {
            port(p);
        }
    }

    /**
     * Registrations of key k on the device: {all, on nexuses other than p's} — READ FULL STATUS,
     * p's own told by its relative target port and, when known, its initiator port. When neither
     * is known, both count everything (then p's own may be among "the others").
     */
    private long[] keyCounts(PathEntry p, long k, Optional<String> me) throws PathException, PathCommand.PrInFailed {
        int mine = port(p);
        FullStatusData full = FullStatusData.decode(
                cmd.in(p, PrInAction.READ_FULL_STATUS));
        long all = full.descriptors().stream().filter(d -> d.key() == k && !unverifiedNexus(d, k)).count();
        long elsewhere = full.descriptors().stream()
                .filter(d -> d.key() == k && !ownNexus(d, mine, me) && !unverifiedNexus(d, k))
                .count();
        return new long[] {all, elsewhere};
    }

    /** Is this registration of key k that of a path whose REGISTER of k was never re-counted? */
    private boolean unverifiedNexus(FullStatusData.Descriptor d, long k) {
        for (Map.Entry<PathEntry, Long> u : unverified.entrySet()) {
            if (u.getValue() == k && ownNexus(d, ports.getOrDefault(u.getKey(), -1), u.getKey().path().initiatorPort())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Is this registration p's own nexus's? By the initiator port when p knows it (an ALL_TG_PT
     * registration of that port covers p's nexus too), else by the target port alone — which a
     * twin path of ours, or an ended session of ours, may share.
     */
    private static boolean ownNexus(FullStatusData.Descriptor d, int mine, Optional<String> me) {
        if (me.isPresent()) {
            return TransportId.describe(d.transportId()).equalsIgnoreCase(me.get())
                    && (mine < 0 || d.allTgPt() || d.relativeTargetPort() == mine);
        }
        return mine >= 0 && !d.allTgPt() && d.relativeTargetPort() == mine;
    }

    /**
     * The paths a PR command may go down, in the device's order — except that paths whose target
     * port group is known to refuse PR (unavailable, transitioning) come last: a command that needs
     * one path (READ KEYS, a preemption check) then takes one that answers, instead of failing a
     * path whose group is only passing through a transition.
     */
    List<PathEntry> activePaths() {
        List<PathEntry> out = new ArrayList<>();
        List<PathEntry> refusing = new ArrayList<>();
        for (PathEntry p : device.paths()) {
            if (p.state() == PathState.ACTIVE && !p.removed() && PathCommand.hasScsi(p)) {
                (takesPr(p) ? out : refusing).add(p);
            }
        }
        out.addAll(refusing);
        return out;
    }

    /** Whether p's target port group, as last read, takes PR commands (no groups: yes). */
    static boolean takesPr(PathEntry p) {
        return p.alua() == null || p.alua().state().takesPersistentReserve();
    }

    PathEntry anyUsable() {
        for (PathEntry p : activePaths()) {
            return p;
        }
        return null;
    }

    /** A usable path registered with our key, else any usable path (the device then answers). */
    PathEntry anyRegisteredUsable() {
        // A path of an active target port group first: a reservation moved there can carry IO.
        for (PathEntry p : activePaths()) {
            if (p.registration() == Registration.YES && p.carriesIo()) {
                return p;
            }
        }
        for (PathEntry p : activePaths()) {
            if (p.registration() == Registration.YES) {
                return p;
            }
        }
        return anyUsable();
    }

    /**
     * Sends one PR OUT down p. When p cannot carry it, p is failed and the answer is EIO with
     * {@code what} and the reason; otherwise it is the device's answer, good or not.
     */
    OutAnswer sendOut(PathEntry p, PrOut.Request req, String what) {
        try {
            return new OutAnswer(cmd.out(p, req), null);
        } catch (PathException e) {
            failPath(p, e);
            return new OutAnswer(null, PrResult.error(Errno.EIO, what + ": " + e.getMessage()));
        }
    }

    void failPath(PathEntry p, PathException e) {
        p.recordError(e.getMessage());
        if (e.errorClass() == ErrorClass.PATH_FAILURE) {
            device.failPath(p, "PR command: " + e.getMessage());
        }
    }
}
