package io.mpathfs.control;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.ScsiRetry;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.TargetPortGroups;
import io.mpathfs.backends.scsi.VpdIdentity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The device's view of the LU's target port groups (ALUA), as dm-multipath's group_by_prio with
 * the alua prioritizer keeps it: each path's relative target port (VPD 0x83), the group it is in
 * and that group's state (REPORT TARGET PORT GROUPS), re-read when a path reports 2A/06 or a
 * NOT READY 04/0A-0C, once per checker round, and while IO waits for a path. IO goes to the best
 * usable group only: active/optimized, else active/non-optimized; never standby, unavailable or
 * transitioning ports. A LU whose INQUIRY has TPGS 0 has no groups: everything passes unchanged.
 */
public final class AluaGroups {
    /** Hears the unit attentions that the group commands themselves meet (the PR coordinator needs them). */
    @FunctionalInterface
    public interface UnitAttentionSink {
        void unitAttention(PathEntry path, int asc, int ascq);
    }

    private static final int VPD_ALLOC = 255, RTPG_ALLOC = 4096, STD_INQUIRY = 96;
    /** Relative target port and group of a path whose port could not be learnt yet. */
    private static final int UNKNOWN_PORT = -1;

    private final String device;
    private final AluaMode mode;
    private final UnitAttentionSink sink;
    private final Consumer<PathEntry> changed;
    private final AtomicBoolean stale = new AtomicBoolean();
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile boolean enabled;
    /** The groups as last read: id to (state, preferred). Guarded by {@link #refreshing}. */
    private volatile List<TargetPortGroups.Group> groups = List.of();

    /** @param changed hears of a path whose group changed state (the PR coordinator may move a holder) */
    AluaGroups(String device, AluaMode mode, UnitAttentionSink sink, Consumer<PathEntry> changed) {
        this.device = device;
        this.mode = mode;
        this.sink = sink;
        this.changed = changed;
    }

    private void setState(PathEntry p, PathAlua now) {
        PathAlua before = p.alua();
        p.setAlua(now);
        if (before != null && before.state() != now.state()) {
            changed.accept(p);
        }
    }

    /** True when the LU reports asymmetric access (TPGS != 0) through some path. */
    public boolean enabled() {
        return enabled;
    }

    public AluaMode mode() {
        return mode;
    }

    /**
     * Looks at the LU through its paths: TPGS from standard INQUIRY, each path's target port from
     * VPD 0x83, then the groups. Paths without SCSI (files) have no groups.
     */
    void discover(List<PathEntry> paths) {
        for (PathEntry p : paths) {
            learnPort(p);
        }
        if (enabled) {
            refresh(paths);
        }
    }

    /** A path that joined: its target port, and the groups again. */
    void learnPort(PathEntry p) {
        Optional<ScsiChannel> ch = p.path().scsi();
        if (ch.isEmpty()) {
            return;
        }
        try {
            byte[] std = new byte[STD_INQUIRY];
            if (!send(p, Cdb.inquiry(false, 0, STD_INQUIRY), Direction.FROM_DEVICE, std).isGood()
                    || TargetPortGroups.tpgs(std) == 0) {
                return;
            }
            byte[] vpd = new byte[VPD_ALLOC];
            if (!send(p, Cdb.inquiry(true, VpdIdentity.PAGE_DEVICE_ID, VPD_ALLOC), Direction.FROM_DEVICE, vpd).isGood()) {
                return;
            }
            Optional<Integer> rtpi = VpdIdentity.relativeTargetPort(vpd);
            if (rtpi.isEmpty()) {
                return;
            }
            int group = VpdIdentity.targetPortGroup(vpd).orElse(-1);
            enabled = true;
            PathAlua known = p.alua();
            p.setAlua(new PathAlua(rtpi.get(), group, known == null ? AluaState.ACTIVE_OPTIMIZED : known.state(),
                    known != null && known.preferred()));
            stale.set(true);
        } catch (PathException e) {
            // A path that cannot be asked now is learnt when it is refreshed or added again.
        }
    }

    /** The groups must be read again before the next IO picks a path (2A/06, NOT READY 04/0x). */
    public void markStale() {
        stale.set(true);
    }

    /** IO or the checker met NOT READY for this state on a path: it carries no IO until a re-read says otherwise. */
    void refused(PathEntry p, AluaState s) {
        PathAlua a = p.alua();
        // A path whose port is not known yet (it could not be asked at start) is kept off IO in
        // the refused state until the next refresh learns its port.
        setState(p, a != null ? a.withState(s) : new PathAlua(UNKNOWN_PORT, UNKNOWN_PORT, s, false));
        stale.set(true);
    }

    void refreshIfStale(List<PathEntry> paths) {
        if (enabled && stale.get()) {
            refresh(paths);
        }
    }

    /**
     * Reads REPORT TARGET PORT GROUPS through the first path that answers (active ones first) and
     * sets every path's group and state; with {@code --alua explicit}, when no usable path is left
     * in an active group, asks the array to make the best standby group active. One refresh at a
     * time; a caller that finds one running waits for it instead of sending another.
     */
    public boolean refresh(List<PathEntry> paths) {
        if (!enabled) {
            return false;
        }
        if (!refreshing.tryLock()) {
            refreshing.lock();
            refreshing.unlock();
            return true;
        }
        try {
            stale.set(false);
            for (PathEntry p : paths) {
                if (p.usable() && (p.alua() == null || p.alua().relativePort() == UNKNOWN_PORT)) {
                    learnPort(p);
                }
            }
            if (!read(paths)) {
                stale.set(true);
                return false;
            }
            if (mode == AluaMode.EXPLICIT && noActiveUsable(paths) && activateBestGroup(paths)) {
                read(paths);
            }
            return true;
        } finally {
            refreshing.unlock();
        }
    }

    private boolean read(List<PathEntry> paths) {
        List<PathEntry> order = new ArrayList<>(paths);
        order.sort(Comparator.comparingInt(p -> p.alua() == null ? Integer.MAX_VALUE : p.alua().rank()));
        for (PathEntry p : order) {
            if (p.alua() == null || p.alua().relativePort() == UNKNOWN_PORT || p.removed()) {
                continue;
            }
            byte[] data = new byte[RTPG_ALLOC];
            try {
                ScsiResult r = send(p, TargetPortGroups.reportCdb(RTPG_ALLOC), Direction.FROM_DEVICE, data);
                if (!r.isGood()) {
                    continue;
                }
            } catch (PathException e) {
                continue;
            }
            apply(paths, TargetPortGroups.decode(data));
            return true;
        }
        return false;
    }

    private void apply(List<PathEntry> paths, List<TargetPortGroups.Group> read) {
        Map<Integer, TargetPortGroups.Group> byPort = new HashMap<>();
        for (TargetPortGroups.Group g : read) {
            for (int port : g.ports()) {
                byPort.put(port, g);
            }
        }
        for (PathEntry p : paths) {
            PathAlua a = p.alua();
            if (a == null) {
                continue;
            }
            TargetPortGroups.Group g = byPort.get(a.relativePort());
            if (g != null) {
                PathAlua now = new PathAlua(a.relativePort(), g.id(), g.state(), g.preferred());
                if (!now.equals(a)) {
                    MultipathDevice.LOG.info(device + ": path " + p.name() + " is in target port group " + g.id()
                            + ", " + g.state().shortName());
                }
                setState(p, now);
            }
        }
        groups = List.copyOf(read);
    }

    private static boolean noActiveUsable(List<PathEntry> paths) {
        return paths.stream().noneMatch(p -> p.usable() && p.alua() != null && p.alua().state().active());
    }

    /**
     * SET TARGET PORT GROUPS: the group with the most usable paths in standby (preferred first) is
     * made active/optimized, through one of its own paths (a standby port takes the command).
     */
    private boolean activateBestGroup(List<PathEntry> paths) {
        Map<Integer, List<PathEntry>> standby = new TreeMap<>();
        for (PathEntry p : paths) {
            if (p.usable() && p.alua() != null && p.alua().state() == AluaState.STANDBY) {
                standby.computeIfAbsent(p.alua().group(), k -> new ArrayList<>()).add(p);
            }
        }
        Optional<Map.Entry<Integer, List<PathEntry>>> best = standby.entrySet().stream().min(
                Comparator.<Map.Entry<Integer, List<PathEntry>>, Boolean>comparing(e -> !e.getValue().get(0).alua().preferred())
                        .thenComparing(e -> -e.getValue().size()));
        if (best.isEmpty()) {
            return false;
        }
        byte[] params = TargetPortGroups.setParams(best.get().getKey(), AluaState.ACTIVE_OPTIMIZED);
        for (PathEntry p : best.get().getValue()) {
            try {
                if (send(p, TargetPortGroups.setCdb(params.length), Direction.TO_DEVICE, params).isGood()) {
                    MultipathDevice.LOG.info(device + ": asked for target port group " + best.get().getKey()
                            + " active/optimized (SET TARGET PORT GROUPS via " + p.name() + ")");
                    return true;
                }
            } catch (PathException e) {
                // try the group's next path
            }
        }
        return false;
    }

    /**
     * The paths of the best group among the usable ones: active/optimized, else active/non-optimized
     * (paths whose port is not known count as active/non-optimized). Empty when every usable path is
     * in standby, unavailable or transitioning.
     */
    public List<PathEntry> best(List<PathEntry> usable) {
        if (!enabled) {
            return usable;
        }
        int bestRank = Integer.MAX_VALUE;
        for (PathEntry p : usable) {
            bestRank = Math.min(bestRank, rank(p));
        }
        if (bestRank == Integer.MAX_VALUE) {
            return List.of();
        }
        List<PathEntry> l = new ArrayList<>(usable.size());
        for (PathEntry p : usable) {
            if (rank(p) == bestRank) {
                l.add(p);
            }
        }
        return l;
    }

    /** The paths whose group is active (active/optimized or non-optimized), or whose port is not known. */
    public List<PathEntry> active(List<PathEntry> usable) {
        if (!enabled) {
            return usable;
        }
        List<PathEntry> l = new ArrayList<>(usable.size());
        for (PathEntry p : usable) {
            if (rank(p) != Integer.MAX_VALUE) {
                l.add(p);
            }
        }
        return l;
    }

    private static int rank(PathEntry p) {
        return p.alua() == null ? 1 : p.alua().rank();
    }

    /** Some usable path's group is transitioning: IO that finds no active path waits for it to settle. */
    public boolean transitioning(List<PathEntry> paths) {
        return enabled && paths.stream().anyMatch(p -> p.usable() && p.alua() != null
                && p.alua().state() == AluaState.TRANSITIONING);
    }

    /** ctl/status lines: one per group, with its state and this device's paths through it. */
    public String describe(List<PathEntry> paths) {
        if (!enabled) {
            return "";
        }
        StringBuilder b = new StringBuilder("alua: " + mode.label() + "\n");
        for (TargetPortGroups.Group g : groups) {
            List<String> names = new ArrayList<>();
            for (PathEntry p : paths) {
                if (p.alua() != null && p.alua().group() == g.id()) {
                    names.add(p.name());
                }
            }
            b.append(String.format("group %d %s%s paths %s%n", g.id(), g.state().shortName(),
                    g.preferred() ? " preferred" : "", names.isEmpty() ? "none" : String.join(" ", names)));
        }
        return b.toString();
    }

    private ScsiResult send(PathEntry p, byte[] cdb, Direction dir, byte[] data) throws PathException {
        ScsiChannel ch = p.path().scsi().orElseThrow();
        return ScsiRetry.execute(ch, (asc, ascq) -> sink.unitAttention(p, asc, ascq), cdb, dir, data,
                ScsiChannel.DEFAULT_TIMEOUT_MS);
    }
}
