package io.mpathfs.backends.sim;

import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.Sense;
import io.mpathfs.backends.scsi.SenseKey;
import io.mpathfs.backends.scsi.TargetPortGroups;
import io.mpathfs.backends.scsi.UnitAttentionCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulated SCSI logical unit: executes CDBs from any I_T nexus and answers as a device
 * (status and fixed-format sense), never with an exception. Command processing follows LIO's order:
 * CDB checks (unknown opcode 20/00, bad field 24/00, LBA out of range 21/00), then a pending unit
 * attention (except for INQUIRY, REPORT LUNS, REQUEST SENSE), then the state of the port's target
 * port group ({@link PortGroups}), then the reservation check, then the command. One lock serialises everything, data included: correctness first; copying a few hundred
 * KiB under a lock is cheap next to FUSE.
 */
public final class SimLogicalUnit implements AutoCloseable {
    private static final int REQUEST_SENSE = 0x03;
    static final int INTERNAL_TARGET_FAILURE = 0x44;

    private final SimConfig config;
    private final BlockStore store;
    private final BlockCommands blocks;
    private final AptplStore aptpl;
    private final TargetReservations pr = new TargetReservations();
    private final UnitAttentions uas = new UnitAttentions();
    private final PrInService prIn = new PrInService(pr);
    private final PrOutService prOut;
    private final List<TargetPort> ports = new ArrayList<>();
    private final PortGroups groups;
    private final Map<NexusId, Long> abortEpochs = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** A parsed command, ready to run once unit attentions and the reservation let it. */
    private record Command(boolean reportsNoUnitAttention, Execution execution) {
    }

    private interface Execution {
        ScsiResult run() throws CommandFailed;
    }

    SimLogicalUnit(SimConfig config) throws IOException {
        this.config = config;
        Optional<Path> file = config.backingFile();
        if (file.isEmpty()) {
            MemoryBlockStore.checkFits(config.capacityBytes());
        }
        this.store = file.isPresent() ? new FileBlockStore(file.get(), config.capacityBytes()) : new MemoryBlockStore();
        this.blocks = new BlockCommands(config, store);
        this.aptpl = file.isPresent()
                ? new AptplStore.InFile(file.get().resolveSibling(file.get().getFileName() + ".aptpl"))
                : new AptplStore.InMemory();
        this.prOut = new PrOutService(pr, uas, aptpl, this::portIds, this::abortTasks);
        this.groups = new PortGroups(config.tpgs());
        for (int i = 0; i < config.targetPorts(); i++) {
            addTargetPortLocked();
        }
        AptplStore.restore(pr, aptpl.load());
    }

    public SimConfig config() {
        return config;
    }

    /** Runs one command from nexus {@code n}; see {@link io.mpathfs.backends.ScsiChannel#execute}. */
    public ScsiResult execute(NexusId n, byte[] cdb, Direction dir, byte[] data) {
        return execute(n, cdb, dir, data, -1);
    }

    /**
     * @param abortEpochSeen the nexus's abort epoch when the command entered the task set (see
     *                       {@link #abortEpoch}), or -1 when it entered just now
     */
    ScsiResult execute(NexusId n, byte[] cdb, Direction dir, byte[] data, long abortEpochSeen) {
        lock.lock();
        try {
            uas.attach(n);
            if (abortEpochSeen >= 0 && abortEpoch(n) != abortEpochSeen) {
                return Results.taskAborted();
            }
            if (cdb == null || cdb.length == 0) {
                return Results.invalidOpcode();
            }
            Direction d = data == null || data.length == 0 || dir == null ? Direction.NONE : dir;
            Command c = parse(n, cdb, d, data);
            if (!c.reportsNoUnitAttention()) {
                Optional<UnitAttentions.Ua> ua = uas.report(n);
                if (ua.isPresent()) {
                    return Results.unitAttention(ua.get().asc(), ua.get().ascq());
                }
            }
            if (groups.enabled()) {
                Optional<ScsiResult> refused = PortGroups.refusal(groups.stateOf(n.targetPort()), cdb);
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            if (ReservationCheck.conflicts(pr, n, cdb, d)) {
                return Results.conflict();
            }
            return c.execution().run();
        } catch (CommandFailed e) {
            return e.result();
        } catch (RuntimeException e) {
            // A bug in the sim must not look like a transport failure to the caller: answer as a target would.
            System.err.println("sim: internal error on " + n + ": " + e);
            return ScsiResult.checkCondition(SenseKey.HARDWARE_ERROR, INTERNAL_TARGET_FAILURE, 0);
        } finally {
            lock.unlock();
        }
    }

    private Command parse(NexusId n, byte[] cdb, Direction dir, byte[] data) throws CommandFailed {
        int op = cdb[0] & 0xff;
        if (cdb.length < cdbLength(op)) {
            throw new CommandFailed(Results.invalidCdbField());
        }
        switch (op) {
            case Cdb.TEST_UNIT_READY:
                return new Command(false, () -> ScsiResult.GOOD);
            case REQUEST_SENSE:
                return new Command(true, () -> requestSense(n, cdb[4] & 0xff, data));
            case Cdb.INQUIRY:
                return new Command(true, () -> inquiry(n, cdb, data));
            case Cdb.REPORT_LUNS:
                return new Command(true, () -> reportLuns(Integer.toUnsignedLong(Cdb.getInt(cdb, 6)), data));
            case Cdb.READ_CAPACITY_10:
                return new Command(false, () -> blocks.readCapacity10(data));
            case Cdb.SERVICE_ACTION_IN_16:
                if ((cdb[1] & 0x1f) != Cdb.SAI_READ_CAPACITY_16) {
                    throw new CommandFailed(Results.invalidCdbField());
                }
                return new Command(false, () -> blocks.readCapacity16(Integer.toUnsignedLong(Cdb.getInt(cdb, 10)), data));
            case Cdb.READ_10:
            case Cdb.READ_16: {
                long lba = op == Cdb.READ_10 ? Integer.toUnsignedLong(Cdb.getInt(cdb, 2)) : Cdb.getLong(cdb, 2);
                long count = op == Cdb.READ_10 ? short16(cdb, 7) : Integer.toUnsignedLong(Cdb.getInt(cdb, 10));
                blocks.checkRange(lba, count);
                return new Command(false, () -> blocks.read(lba, count, data));
            }
            case Cdb.WRITE_10:
            case Cdb.WRITE_16: {
                long lba = op == Cdb.WRITE_10 ? Integer.toUnsignedLong(Cdb.getInt(cdb, 2)) : Cdb.getLong(cdb, 2);
                long count = op == Cdb.WRITE_10 ? short16(cdb, 7) : Integer.toUnsignedLong(Cdb.getInt(cdb, 10));
                blocks.checkRange(lba, count);
                long bytes = count * config.blockSize();
                if ((data == null ? 0 : data.length) != bytes) {
                    // LIO refuses a WRITE whose data-out length differs from its transfer length.
                    throw new CommandFailed(Results.invalidCommandIu());
                }
                return new Command(false, () -> blocks.write(lba, data));
            }
            case Cdb.SYNCHRONIZE_CACHE_10: {
                blocks.checkRange(Integer.toUnsignedLong(Cdb.getInt(cdb, 2)), short16(cdb, 7));
                return new Command(false, blocks::synchronizeCache);
            }
            case Cdb.PERSISTENT_RESERVE_IN:
                return new Command(false, () -> prIn.execute(cdb, data));
            case Cdb.PERSISTENT_RESERVE_OUT:
                if (Integer.toUnsignedLong(Cdb.getInt(cdb, 5)) > (data == null ? 0 : data.length)) {
                    // LIO refuses a control command whose data-out buffer is shorter than its CDB says.
                    throw new CommandFailed(Results.invalidCdbField());
                }
                return new Command(false, () -> prOut.execute(n, cdb, data));
            case TargetPortGroups.MAINTENANCE_IN:
                if (!groups.enabled() || (cdb[1] & 0x1f) != TargetPortGroups.SA_TARGET_PORT_GROUPS) {
                    throw new CommandFailed(Results.invalidOpcode());
                }
                return new Command(false, () -> Results.dataIn(groups.reportData(),
                        (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(Cdb.getInt(cdb, 6))), data));
            case TargetPortGroups.MAINTENANCE_OUT:
                // LIO: an LU whose group takes no explicit transitions does not know the command.
                if ((groups.tpgs() & TargetPortGroups.TPGS_EXPLICIT) == 0
                        || (cdb[1] & 0x1f) != TargetPortGroups.SA_TARGET_PORT_GROUPS) {
                    throw new CommandFailed(Results.invalidOpcode());
                }
                return new Command(false, () -> setTargetPortGroups(n, cdb, data));
            default:
                throw new CommandFailed(Results.invalidOpcode());
        }
    }

    /**
     * SET TARGET PORT GROUPS: each descriptor names a group and the state it is to take (active/
     * optimized, active/non-optimized, standby or unavailable; transitioning is the target's own).
     * Every other nexus of a changed group's ports gets 2A/06; the one that asked does not.
     */
    private ScsiResult setTargetPortGroups(NexusId from, byte[] cdb, byte[] data) throws CommandFailed {
        int len = (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(Cdb.getInt(cdb, 6)));
        if (len > (data == null ? 0 : data.length)) {
            throw new CommandFailed(Results.invalidCdbField());
        }
        List<int[]> wanted = TargetPortGroups.decodeSetParams(data, len);
        for (int[] w : wanted) {
            Optional<AluaState> s = AluaState.fromCode(w[1]);
            if (s.isEmpty() || s.get() == AluaState.TRANSITIONING || !groups.exists(w[0])) {
                throw new CommandFailed(Results.invalidParameterField());
            }
        }
        for (int[] w : wanted) {
            changeGroupState(w[0], AluaState.fromCode(w[1]).orElseThrow(), from);
        }
        return ScsiResult.GOOD;
    }

    private void changeGroupState(int group, AluaState state, NexusId explicitFrom) {
        if (groups.setState(group, state, explicitFrom != null)) {
            List<NexusId> told = new ArrayList<>();
            for (NexusId k : uas.known()) {
                if (groups.groupOf(k.targetPort()) == group && !k.equals(explicitFrom)) {
                    told.add(k);
                }
            }
            uas.establish(told, UnitAttentionCode.ASC_PARAMETERS_CHANGED, UnitAttentionCode.ASYMMETRIC_ACCESS_CHANGED);
        }
    }

    // ---- target port groups, as the array's administrator changes them ----

    /**
     * The array moves a group to a state by itself (implicit ALUA); the nexuses through its ports
     * get 2A/06 when the state changed. Creates the group if it is new.
     */
    public void setGroupState(int group, AluaState state) {
        lock.lock();
        try {
            changeGroupState(group, state, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a target port into a group (created active/optimized if new). As LIO attaches a port to
     * a group, its nexuses get INQUIRY DATA HAS CHANGED (3F/03: VPD 0x83 names the port's group),
     * every time, even into the group it is in — and no 2A/06, since no group changed state.
     */
    public void movePort(int rtpi, int group) {
        lock.lock();
        try {
            port(rtpi);
            groups.movePort(rtpi, group);
            List<NexusId> told = new ArrayList<>();
            for (NexusId k : uas.known()) {
                if (k.targetPort() == rtpi) {
                    told.add(k);
                }
            }
            uas.establish(told, UnitAttentionCode.ASC_INQUIRY_DATA_CHANGED, UnitAttentionCode.INQUIRY_DATA_HAS_CHANGED);
        } catch (CommandFailed e) {
            throw new IllegalArgumentException("no target port " + rtpi + " (the LU has " + ports.size() + ")");
        } finally {
            lock.unlock();
        }
    }

    /** As a fresh LU: every port in the default group, active/optimized; 2A/06 where a port's state changed. */
    void resetPortGroups() {
        lock.lock();
        try {
            Map<Integer, AluaState> before = new HashMap<>();
            for (TargetPort p : ports) {
                before.put(p.relativeId(), groups.stateOf(p.relativeId()));
            }
            groups.reset();
            List<NexusId> told = new ArrayList<>();
            for (NexusId k : uas.known()) {
                if (before.get(k.targetPort()) != null && before.get(k.targetPort()) != groups.stateOf(k.targetPort())) {
                    told.add(k);
                }
            }
            uas.establish(told, UnitAttentionCode.ASC_PARAMETERS_CHANGED, UnitAttentionCode.ASYMMETRIC_ACCESS_CHANGED);
        } finally {
            lock.unlock();
        }
    }

    /** The state of the group a target port is in (active/optimized when the LU has no ALUA). */
    public AluaState portState(int rtpi) {
        lock.lock();
        try {
            return groups.stateOf(rtpi);
        } finally {
            lock.unlock();
        }
    }

    /** One line per target port group (empty when the LU has no ALUA), for ctl/sim. */
    String describeGroups() {
        lock.lock();
        try {
            return groups.enabled() ? groups.describe() : "";
        } finally {
            lock.unlock();
        }
    }

    /** Minimum CDB length by group code (SAM): 6, 10, 10, -, 16, 12. */
    private static int cdbLength(int op) {
        return switch (op >> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> 1; // reserved / vendor specific: the opcode check answers
        };
    }

    static long short16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /**
     * SPC-4 lets a device refuse an allocation length under 16; LIO does not (seen in the lab:
     * alloc=8 answers GOOD with the first 8 bytes), so neither do we.
     */
    private ScsiResult reportLuns(long alloc, byte[] buffer) throws CommandFailed {
        byte[] b = new byte[16];
        Cdb.putInt(b, 0, 8); // one LUN: 0
        return Results.dataIn(b, (int) Math.min(alloc, 16), buffer);
    }

    /** Reports (and clears) the pending unit attention as sense data, else NO SENSE. */
    private ScsiResult requestSense(NexusId n, int alloc, byte[] buffer) {
        Optional<UnitAttentions.Ua> ua = uas.report(n);
        byte[] s = ua.map(u -> Sense.fixed(SenseKey.UNIT_ATTENTION, u.asc(), u.ascq()))
                .orElseGet(() -> Sense.fixed(SenseKey.NO_SENSE, 0, 0));
        return Results.dataIn(s, alloc, buffer);
    }

    private ScsiResult inquiry(NexusId n, byte[] cdb, byte[] buffer) throws CommandFailed {
        boolean evpd = (cdb[1] & 0x01) != 0;
        int page = cdb[2] & 0xff;
        int alloc = (int) short16(cdb, 3);
        if ((cdb[1] & 0x02) != 0 || (!evpd && page != 0)) {
            throw new CommandFailed(Results.invalidCdbField()); // CMDDT, or a page without EVPD
        }
        byte[] data;
        if (!evpd) {
            data = InquiryData.standard(config, ports.size() > 1, groups.tpgs());
        } else {
            data = switch (page) {
                case 0x00 -> InquiryData.supportedPages();
                case 0x80 -> InquiryData.unitSerial(config.unitSerial());
                case 0x83 -> InquiryData.deviceIdentification(config, port(n.targetPort()),
                        groups.enabled() ? groups.groupOf(n.targetPort()) : -1);
                default -> throw new CommandFailed(Results.invalidCdbField());
            };
        }
        return Results.dataIn(data, alloc, buffer);
    }

    private TargetPort port(int rtpi) throws CommandFailed {
        for (TargetPort p : ports) {
            if (p.relativeId() == rtpi) {
                return p;
            }
        }
        // A nexus through a port the LU does not have: LIO answers LOGICAL UNIT NOT SUPPORTED.
        throw new CommandFailed(ScsiResult.checkCondition(SenseKey.ILLEGAL_REQUEST, 0x25, 0x00));
    }

    // ---- ports, aborts, power ----

    /** Adds a target port (relative id = count + 1) and returns it. */
    TargetPort addTargetPort() {
        lock.lock();
        try {
            return addTargetPortLocked();
        } finally {
            lock.unlock();
        }
    }

    private TargetPort addTargetPortLocked() {
        int rtpi = ports.size() + 1;
        String name = config.transport() == SimConfig.Transport.SAS
                ? String.format("naa.5001405%07x%02x", config.unitSerial().hashCode() & 0xfffffff, rtpi & 0xff)
                : "iqn.2024-01.io.mpathfs:sim." + config.unitSerial().substring(0, Math.min(8,
                config.unitSerial().length())).toLowerCase() + ".tp" + rtpi;
        TargetPort p = new TargetPort(rtpi, name);
        ports.add(p);
        groups.addPort(rtpi);
        return p;
    }

    List<TargetPort> ports() {
        lock.lock();
        try {
            return List.copyOf(ports);
        } finally {
            lock.unlock();
        }
    }

    private List<Integer> portIds() {
        List<Integer> ids = new ArrayList<>();
        for (TargetPort p : ports) {
            ids.add(p.relativeId());
        }
        return ids;
    }

    /** Commands of a nexus that entered the task set in an older epoch end with TASK ABORTED. */
    long abortEpoch(NexusId n) {
        lock.lock();
        try {
            return abortEpochs.getOrDefault(n, 0L);
        } finally {
            lock.unlock();
        }
    }

    private void abortTasks(Set<NexusId> nexuses) {
        for (NexusId n : nexuses) {
            abortEpochs.merge(n, 1L, Long::sum);
        }
    }

    /**
     * Power loss and return: PR state survives only as APTPL saved it (PRgeneration restarts, plus
     * one per restored registration, as in LIO); every known nexus gets 29/00; commands in flight end.
     */
    public void powerCycle() {
        lock.lock();
        try {
            AptplStore.restore(pr, aptpl.load());
            uas.powerOn();
            abortTasks(Set.copyOf(uas.known()));
        } finally {
            lock.unlock();
        }
    }

    /** Makes a nexus known (29/00 pending) without sending a command. */
    void attach(NexusId n) {
        lock.lock();
        try {
            uas.attach(n);
        } finally {
            lock.unlock();
        }
    }

    /** "naa." + the NAA designator in hex: what VPD 0x83 says, in {@link io.mpathfs.backends.scsi.VpdIdentity} form. */
    public String identity() {
        return "naa." + HexFormat.of().formatHex(InquiryData.naa(config));
    }

    public PrSnapshot snapshot() {
        lock.lock();
        try {
            List<PrSnapshot.Entry> regs = new ArrayList<>();
            for (Registrant r : pr.registrations()) {
                regs.add(new PrSnapshot.Entry(r.nexus, r.key, r.allTgPt, pr.isHolder(r)));
            }
            Map<NexusId, List<String>> pending = new LinkedHashMap<>();
            for (NexusId n : uas.known()) {
                List<String> l = new ArrayList<>();
                for (UnitAttentions.Ua u : uas.pending(n)) {
                    l.add(u.toString());
                }
                if (!l.isEmpty()) {
                    pending.put(n, List.copyOf(l));
                }
            }
            return new PrSnapshot(pr.generation(), pr.aptplActive(), List.copyOf(regs), pr.type(),
                    pr.reserved() ? pr.holder().nexus : null, Map.copyOf(pending));
        } finally {
            lock.unlock();
        }
    }

    /** Memory used by an in-memory medium (0 when file-backed). */
    long allocatedBytes() {
        return store instanceof MemoryBlockStore m ? m.allocatedBytes() : 0;
    }

    @Override
    public void close() {
        store.close();
    }
}
