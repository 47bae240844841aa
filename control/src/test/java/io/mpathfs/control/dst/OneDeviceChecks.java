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

    OneDeviceChecks(SimTarget target, Linearizations lin, KeysFile keysFile, Supplier<Daemon> ours, List<String> trace) {
        this.target = target;
        this.lin = lin;
        this.keysFile = keysFile;
        this.ours = ours;
        this.trace = trace;
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

    /**
     * The rule that leaves the coordinator's registered-only route filter nothing to do (see
     * PrCoordinator.route): whenever IO may be routed, every usable path carries our
     * registration as the coordinator knows it, while we have a key.
     */
    String usableRegistered() {
        if (pr().key() == 0 || device().gate().suspended()) {
            return null;
        }
        for (PathEntry p : device().paths()) {
            if (p.usable() && p.registration() != Registration.YES) {
                return "path " + p.name() + " may carry IO but is registered=" + p.registration().label()
                        + " while we have key " + Long.toHexString(pr().key());
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
            if (!p.usable() || !sp.nexus().online()) {
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
     * A nexus whose transport is down cannot be unregistered or change its key: it keeps what it
     * had on the target until the path returns and is brought in line (true of every
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
            if (p.usable() && sp.nexus().online()) {
                continue;
            }
            long k = s.registration(sp.nexus().id()).map(PrSnapshot.Entry::key).orElse(0L);
            if (k != 0 && (k != pr().key() || ourRegisterInFlight)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Every path of ours usable and online, and every nexus of ours on the target online. */
    boolean healthy() {
        return device().paths().stream().allMatch(p -> p.usable() && sim(p).nexus().online())
                && target.paths().stream().allMatch(p -> p.nexus().online());
    }

    /** No path may carry IO: none usable and online in an active target port group (standby ones take only PR). */
    boolean noUsablePath() {
        return device().paths().stream().noneMatch(p -> p.carriesIo() && sim(p).nexus().online()
                && target.logicalUnit().portState(sim(p).nexus().id().targetPort()).active());
    }
}
