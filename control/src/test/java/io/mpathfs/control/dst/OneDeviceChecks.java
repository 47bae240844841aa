package io.mpathfs.control.dst;

import io.mpathfs.backends.sim.PrSnapshot;
import io.mpathfs.backends.sim.SimPath;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.PathEntry;
import io.mpathfs.control.Registration;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * What the simulation checks beyond each answer (which {@link Linearizations} checks): the rule
 * that keeps IO off unregistered nexuses, the quiescent state against the single-device states,
 * and where the LU is in a state no single device explains (then the run ends early). Each check
 * returns why it does not hold, or null; the simulation decides what a violation ends.
 */
final class OneDeviceChecks {
    private final SimTarget target;
    private final Linearizations lin;
    private final KeysFile keysFile;
    private final Supplier<Daemon> ours;
    private final List<String> trace;
    /**
     * Whether a target port refuses PR now (its group unavailable or transitioning): a nexus
     * there is, for PR, as one whose transport is down — its registration can be neither changed
     * nor read, so a key of ours may linger there, as on an offline nexus.
     */
    private final IntPredicate refusesPr;

    OneDeviceChecks(SimTarget target, Linearizations lin, KeysFile keysFile, Supplier<Daemon> ours, List<String> trace,
                    IntPredicate refusesPr) {
        this.target = target;
        this.lin = lin;
        this.keysFile = keysFile;
        this.ours = ours;
        this.trace = trace;
        this.refusesPr = refusesPr;
    }

    private MultipathDevice device() {
        return ours.get().device();
    }

    private PrCoordinator pr() {
        return ours.get().pr();
    }

    private static SimPath sim(PathEntry p) {
        return ((InterleavedPath) p.path()).sim();
    }

    private static int port(PathEntry p) {
        return sim(p).nexus().id().targetPort();
    }

    /** The path's nexus takes PR now: online, its port in a group that takes PR. */
    private boolean reachable(PathEntry p) {
        return sim(p).nexus().online() && !refusesPr.test(port(p));
    }

    /** The path's nexus serves IO now: online, its port in an active group. */
    private boolean servesIo(PathEntry p) {
        return sim(p).nexus().online() && target.logicalUnit().portState(port(p)).active();
    }

    /**
     * The rule that leaves the coordinator's registered-only route filter nothing to do (see
     * PrCoordinator.route): whenever IO may be routed, every usable path carries our
     * registration as the coordinator knows it, while we have a key. And on the target: no path
     * that may carry IO carries a key that is not ours now — a nexus that kept an old key while it
     * could not be reached (down, or its group refusing PR) is brought in line before it carries
     * IO. (No key at all may be a foreign preempt the coordinator has yet to hear of.)
     */
    String usableRegistered() {
        if (device().gate().suspended()) {
            return null;
        }
        if (pr().key() != 0) {
            for (PathEntry p : device().paths()) {
                if (p.usable() && p.registration() != Registration.YES) {
                    return "path " + p.name() + " may carry IO but is registered=" + p.registration().label()
                            + " while we have key " + Long.toHexString(pr().key());
                }
            }
        }
        PrSnapshot s = target.prSnapshot();
        for (PathEntry p : device().paths()) {
            if (!p.carriesIo() || !servesIo(p)) {
                continue;
            }
            long k = s.registration(sim(p).nexus().id()).map(PrSnapshot.Entry::key).orElse(0L);
            if (k != 0 && k != pr().key()) {
                return "path " + p.name() + " may carry IO with key " + Long.toHexString(k) + " on the target, ours is "
                        + Long.toHexString(pr().key());
            }
        }
        return null;
    }

    /**
     * At quiescence: the rule above; our usable paths all carry the same key on the target, which
     * is the coordinator's and the keys file's; the whole PR state, our nexuses folded into one,
     * is one a single device could be in.
     */
    String quiescentState() {
        String usable = usableRegistered();
        if (usable != null) {
            return usable;
        }
        PrSnapshot s = target.prSnapshot();
        Map<String, Long> keys = new TreeMap<>();
        for (PrSnapshot.Entry e : s.registrations()) {
            String host = target.hostOf(e.nexus().initiator());
            if (!host.equals("A")) {
                keys.put(host, e.key());
            }
        }
        Long oursSeen = null;
        StringBuilder perPath = new StringBuilder();
        for (PathEntry p : device().paths()) {
            SimPath sp = sim(p);
            long k = s.registration(sp.nexus().id()).map(PrSnapshot.Entry::key).orElse(0L);
            perPath.append(' ').append(p.name()).append('=').append(Long.toHexString(k))
                    .append(p.usable() ? "" : "(" + p.state().label() + ")");
            if (!p.usable() || !reachable(p)) {
                continue;
            }
            if (oursSeen != null && oursSeen != k) {
                return "our usable paths carry different keys on the target:" + perPath;
            }
            oursSeen = k;
        }
        trace.add("   quiescent: paths" + perPath + "; coordinator key " + Long.toHexString(pr().key()));
        if (oursSeen != null && oursSeen != 0) {
            keys.put("A", oursSeen);
        }
        String holder = Folded.holder(target, s);
        Folded real = new Folded(keys, s.type(), holder);
        String why = oursSeen == null ? lin.matchStateUnknownOurs(real) : lin.matchState(real);
        if (why != null) {
            return why;
        }
        if (oursSeen != null && pr().key() != oursSeen) {
            return "the coordinator's key " + Long.toHexString(pr().key()) + " is not what our paths carry: " + perPath;
        }
        try {
            long stored = keysFile.load(device().identity()).key();
            if (stored != pr().key()) {
                return "the keys file says " + Long.toHexString(stored) + ", the coordinator " + Long.toHexString(pr().key());
            }
        } catch (IOException e) {
            return "keys file unreadable: " + e;
        }
        return null;
    }

    /**
     * Where the LU is in a state no single device explains, and why; null when one does. Two
     * such states: a key of ours lingering on an unreachable path (see lingeringKeys), and LIO's
     * all-registrants holder. LIO keeps one registrant as the holder of an all-registrants
     * reservation (SPC-4 makes every registrant one): a PREEMPT naming its key takes the
     * reservation over, one naming another key does not. With our key on several nexuses, which
     * registrant LIO keeps after its holder unregisters can differ from one device's choice, and
     * then a preempt (ours or another host's) has another effect. From either, the run ends
     * early (counted); a violation met in that state is not counted.
     *
     * @param ourRegisterInFlight our REGISTER is under way: every key of ours on an unreachable path may be stale
     */
    String beyondOneDevice(boolean ourRegisterInFlight) {
        SortedSet<Long> lingering = lingeringKeys(ourRegisterInFlight);
        if (!lingering.isEmpty()) {
            return "our key " + lingering + " lingers on a path we cannot reach";
        }
        return sameAllRegistrantsHolder() ? null : "LIO keeps another all-registrants holder than one device would";
    }

    private boolean sameAllRegistrantsHolder() {
        PrSnapshot s = target.prSnapshot();
        String real = s.type() == null || !s.type().allRegistrants() || s.holder() == null ? null
                : target.hostOf(s.holder().initiator());
        return lin.allRegistrantsHolderIs(real);
    }

    /**
     * A nexus whose transport is down (or whose target port group refuses PR) cannot be
     * unregistered or change its key: it keeps what it had on the target until the path returns
     * and is brought in line (true of every
     * multipath PR implementation without ALL_TG_PT). Another host then sees a registrant one
     * device would not have (its preempt of that key succeeds, its unregister does not end an
     * all-registrants reservation, LIO may keep such a nexus as the all-registrants holder), and
     * so may we. From the moment one of our unreachable paths carries a key the coordinator no
     * longer means to have (or is changing right now), no single device explains the LU: the run
     * ends there, counted as ended early, and a violation seen in that state is not counted.
     */
    private SortedSet<Long> lingeringKeys(boolean ourRegisterInFlight) {
        SortedSet<Long> out = new TreeSet<>();
        PrSnapshot s = target.prSnapshot();
        for (PathEntry p : device().paths()) {
            SimPath sp = sim(p);
            if (p.usable() && reachable(p)) {
                continue;
            }
            long k = s.registration(sp.nexus().id()).map(PrSnapshot.Entry::key).orElse(0L);
            if (k != 0 && (k != pr().key() || ourRegisterInFlight)) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Every path of ours usable and taking PR (online, its group not refusing PR), and every
     * nexus of ours on the target online: a command of ours must then get the device's answer.
     */
    boolean healthy() {
        return device().paths().stream().allMatch(p -> p.usable() && reachable(p))
                && target.paths().stream().allMatch(p -> p.nexus().online());
    }

    /** No path may carry IO: none usable and online in an active target port group (standby ones take only PR). */
    boolean noUsablePath() {
        return device().paths().stream().noneMatch(p -> p.carriesIo() && servesIo(p));
    }

    /** No usable path of ours is where the target serves IO (an IO would wait for a transitioning group). */
    boolean noPortServesIo() {
        return device().paths().stream().noneMatch(p -> p.usable() && servesIo(p));
    }
}
