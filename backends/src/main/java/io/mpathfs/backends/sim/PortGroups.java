package io.mpathfs.backends.sim;

import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.SenseKey;
import io.mpathfs.backends.scsi.TargetPortGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The LU's target port groups (ALUA) as LIO keeps them: every port starts in the default group 0
 * (active/optimized), a group is created by naming it, an empty group is left out of REPORT TARGET
 * PORT GROUPS, and a group's state decides which commands its ports serve. Not thread-safe: the
 * logical unit's lock guards it.
 */
final class PortGroups {
    static final int DEFAULT_GROUP = 0;
    static final int MAX_GROUP = 0xffff;
    /** Status codes of a group descriptor: why it is in its state. */
    private static final int ALTERED_BY_STPG = 0x1, ALTERED_IMPLICITLY = 0x2;

    private static final class Group {
        AluaState state = AluaState.ACTIVE_OPTIMIZED;
        int status;
    }

    private final int tpgs;
    private final Map<Integer, Group> groups = new TreeMap<>();
    private final Map<Integer, Integer> groupOfPort = new TreeMap<>();

    PortGroups(int tpgs) {
        this.tpgs = tpgs;
        groups.put(DEFAULT_GROUP, new Group());
    }

    /** INQUIRY's TPGS bits; 0 means the LU has no asymmetric access and no groups to show. */
    int tpgs() {
        return tpgs;
    }

    boolean enabled() {
        return tpgs != 0;
    }

    void addPort(int rtpi) {
        groupOfPort.put(rtpi, DEFAULT_GROUP);
    }

    int groupOf(int rtpi) {
        return groupOfPort.getOrDefault(rtpi, DEFAULT_GROUP);
    }

    AluaState stateOf(int rtpi) {
        return enabled() ? groups.get(groupOf(rtpi)).state : AluaState.ACTIVE_OPTIMIZED;
    }

    /** The relative target ports in a group. */
    List<Integer> ports(int group) {
        List<Integer> l = new ArrayList<>();
        groupOfPort.forEach((p, g) -> {
            if (g == group) {
                l.add(p);
            }
        });
        return l;
    }

    /**
     * Sets a group's state (creating the group if it is new), as the array does by itself; true when
     * the state changed, and the group's ports then owe their nexuses 2A/06.
     */
    boolean setState(int group, AluaState state, boolean explicit) {
        Group g = groups.computeIfAbsent(checkId(group), k -> new Group());
        if (g.state == state) {
            return false;
        }
        g.state = state;
        g.status = explicit ? ALTERED_BY_STPG : ALTERED_IMPLICITLY;
        return true;
    }

    /** Moves a port into a group (created active/optimized if new); true when its state changes by that. */
    boolean movePort(int rtpi, int group) {
        AluaState before = stateOf(rtpi);
        groups.computeIfAbsent(checkId(group), k -> new Group());
        groupOfPort.put(rtpi, group);
        return before != stateOf(rtpi);
    }

    /** Every port in the default group, active/optimized; other groups gone. */
    void reset() {
        groups.clear();
        groups.put(DEFAULT_GROUP, new Group());
        groupOfPort.replaceAll((p, g) -> DEFAULT_GROUP);
    }

    boolean exists(int group) {
        return groups.containsKey(group);
    }

    private static int checkId(int group) {
        if (group < 0 || group > MAX_GROUP) {
            throw new IllegalArgumentException("a target port group id is 0.." + MAX_GROUP + ": " + group);
        }
        return group;
    }

    /** Every group with ports, as REPORT TARGET PORT GROUPS lists them. */
    List<TargetPortGroups.Group> report() {
        List<TargetPortGroups.Group> l = new ArrayList<>();
        groups.forEach((id, g) -> {
            List<Integer> ports = ports(id);
            if (!ports.isEmpty()) {
                l.add(new TargetPortGroups.Group(id, g.state, false, ports));
            }
        });
        return l;
    }

    byte[] reportData() {
        List<TargetPortGroups.Group> l = report();
        List<Integer> status = new ArrayList<>();
        for (TargetPortGroups.Group g : l) {
            status.add(groups.get(g.id()).status);
        }
        return TargetPortGroups.encode(l, status);
    }

    /**
     * Whether a port in {@code state} refuses this CDB, with the NOT READY it answers. As LIO:
     * standby serves identification, capacity, sense, target port groups and PERSISTENT RESERVE
     * IN/OUT; unavailable and transitioning serve only identification, sense and target port groups.
     */
    static Optional<ScsiResult> refusal(AluaState state, byte[] cdb) {
        if (state.active()) {
            return Optional.empty();
        }
        int op = cdb[0] & 0xff;
        int sa = cdb.length > 1 ? cdb[1] & 0x1f : 0;
        boolean always = op == Cdb.INQUIRY || op == Cdb.REPORT_LUNS || op == REQUEST_SENSE
                || ((op == TargetPortGroups.MAINTENANCE_IN || op == TargetPortGroups.MAINTENANCE_OUT)
                && sa == TargetPortGroups.SA_TARGET_PORT_GROUPS);
        boolean standbyToo = op == Cdb.READ_CAPACITY_10 || op == Cdb.PERSISTENT_RESERVE_IN
                || op == Cdb.PERSISTENT_RESERVE_OUT
                || (op == Cdb.SERVICE_ACTION_IN_16 && sa == Cdb.SAI_READ_CAPACITY_16);
        if (always || (state == AluaState.STANDBY && standbyToo)) {
            return Optional.empty();
        }
        return Optional.of(ScsiResult.checkCondition(SenseKey.NOT_READY, AluaState.ASC_NOT_READY,
                state.notReadyAscq()));
    }

    private static final int REQUEST_SENSE = 0x03;

    /** One line per group for ctl/sim: id, state, ports. */
    String describe() {
        StringBuilder b = new StringBuilder();
        groups.forEach((id, g) -> b.append(String.format("  group %d %-13s ports %s%n", id, g.state.shortName(),
                ports(id).isEmpty() ? "none" : ports(id).toString().replaceAll("[\\[\\],]", ""))));
        return b.toString();
    }
}
