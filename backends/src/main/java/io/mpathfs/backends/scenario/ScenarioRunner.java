package io.mpathfs.backends.scenario;

import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.TargetPortGroups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs scenarios against named I_T nexuses — the embedded target's or real devices' through SG_IO,
 * the runner cannot tell. Before each scenario the LU is cleaned with SCSI commands only
 * ({@link LuCleaner}) and PRgeneration is noted; then every step runs in order and the first one
 * that does not answer as written ends the scenario as FAIL with that difference.
 */
public final class ScenarioRunner {
    private final Exchange x;
    private final TargetAdmin admin;
    private Map<String, NexusIdentities.Identity> identities;
    private int blockSize;

    /** @param nexuses by name ("A1" …), in a fixed order: the first one does the cleanup */
    public ScenarioRunner(Map<String, ScsiChannel> nexuses) {
        this(nexuses, null);
    }

    /** @param admin changes the target port groups for {@code target} steps; null when nothing can */
    public ScenarioRunner(Map<String, ScsiChannel> nexuses, TargetAdmin admin) {
        this.admin = admin;
        if (nexuses.isEmpty()) {
            throw new IllegalArgumentException("no nexuses to run scenarios on");
        }
        this.x = new Exchange(new LinkedHashMap<>(nexuses));
    }

    public ScenarioResult run(Scenario s) {
        List<String> missing = new ArrayList<>();
        for (String n : s.nexuses()) {
            if (!x.channels().containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            return ScenarioResult.skip(s.name(), "needs nexus " + String.join(", ", missing));
        }
        boolean administers = s.steps().stream().anyMatch(st -> st instanceof Step.Target);
        if (administers && admin == null) {
            return ScenarioResult.skip(s.name(), "needs the target's administrator (target port groups)");
        }
        int done = 0;
        try {
            if (admin != null) {
                try {
                    admin.reset();
                } catch (Exception e) {
                    throw new Exchange.StepFailed("resetting the target port groups: " + e.getMessage());
                }
            }
            LuCleaner.clean(x);
            if (identities == null && s.steps().stream().anyMatch(st -> st instanceof Step.Status)) {
                identities = NexusIdentities.learn(x);
            }
            blockSize(s.observer());
            int base = keys(s.observer()).generation();
            for (Step st : s.steps()) {
                try {
                    run(st, s.observer(), base);
                } catch (Exchange.StepFailed e) {
                    throw new Exchange.StepFailed("line " + st.line() + ": " + st.text() + ": " + e.getMessage());
                }
                done++;
            }
            return ScenarioResult.pass(s.name(), done);
        } catch (Exchange.StepFailed e) {
            return ScenarioResult.fail(s.name(), e.getMessage(), done);
        } catch (RuntimeException e) {
            // Malformed data from a device (or a runner bug): report it against the scenario, keep going.
            return ScenarioResult.fail(s.name(), "after step " + done + ": " + e, done);
        }
    }

    private void run(Step st, String observer, int base) throws Exchange.StepFailed {
        if (st instanceof Step.Command c) {
            command(c);
        } else if (st instanceof Step.UnitAttention u) {
            unitAttention(u);
        } else if (st instanceof Step.Target t) {
            try {
                admin.run(t.words());
            } catch (Exception e) {
                throw new Exchange.StepFailed("the target refused: " + e.getMessage());
            }
        } else if (st instanceof Step.Check ch) {
            check(ch, ch.via().orElse(observer), base);
        }
    }

    /** The nexuses this runner talks to (package use: {@link MultipathHostRunner} cleans through them). */
    Exchange exchange() {
        return x;
    }

    /** The LU's block size, read once through nexus n (READ CAPACITY(16)). */
    int blockSize(String n) throws Exchange.StepFailed {
        if (blockSize == 0) {
            blockSize = readBlockSize(n);
        }
        return blockSize;
    }

    void unitAttention(Step.UnitAttention u) throws Exchange.StepFailed {
        ScsiResult r = x.tur(u.nexus());
        Expectation e = u.ascAscq().map(a -> Expectation.unitAttention(a[0], a[1])).orElse(Expectation.GOOD);
        if (!e.matches(r)) {
            throw new Exchange.StepFailed("TEST UNIT READY expected " + e.describe() + ", got " + r.describe());
        }
    }

    /** One command step sent as written; its answer must be the expected one. */
    void command(Step.Command c) throws Exchange.StepFailed {
        CommandBuilder.Built b;
        try {
            b = CommandBuilder.build(c.verb(), c.words(), blockSize);
        } catch (ScenarioSyntaxException e) {
            throw new Exchange.StepFailed(e.getMessage());
        }
        ScsiResult r = x.send(c.nexus(), b.cdb(), b.dir(), b.data());
        if (!c.expect().matches(r)) {
            throw new Exchange.StepFailed("expected " + c.expect().describe() + ", got " + r.describe());
        }
        if (b.expectFill() != null && r.isGood()) {
            int n = b.data().length - Math.max(0, r.resid());
            for (int i = 0; i < n; i++) {
                if ((b.data()[i] & 0xff) != b.expectFill()) {
                    throw new Exchange.StepFailed(String.format("data byte %d is 0x%02x, expected 0x%02x", i,
                            b.data()[i] & 0xff, b.expectFill()));
                }
            }
        }
    }

    private void check(Step.Check ch, String via, int base) throws Exchange.StepFailed {
        if (ch instanceof Step.Keys k) {
            ReadKeysData d = keys(via);
            List<Long> got = new ArrayList<>(d.keys());
            Collections.sort(got);
            if (d.truncated() || !got.equals(k.keys())) {
                throw new Exchange.StepFailed("READ KEYS gave " + keyList(got) + (d.truncated() ? " (truncated)" : ""));
            }
        } else if (ch instanceof Step.Reservation rs) {
            ReadReservationData d = ReadReservationData.decode(x.prIn(via, PrInAction.READ_RESERVATION));
            boolean ok = rs.none() ? !d.reserved()
                    : d.reserved() && d.key() == rs.key() && d.typeCode() == rs.typeCode() && d.scope() == 0;
            if (!ok) {
                throw new Exchange.StepFailed("READ RESERVATION gave " + describe(d));
            }
        } else if (ch instanceof Step.Generation g) {
            int got = keys(via).generation() - base;
            if (got != g.delta()) {
                throw new Exchange.StepFailed("PRgeneration is +" + Integer.toUnsignedString(got));
            }
        } else if (ch instanceof Step.Status st) {
            status(st, via);
        } else if (ch instanceof Step.Capabilities c) {
            capabilities(c, via);
        } else if (ch instanceof Step.PortGroup g) {
            portGroup(g, via);
        }
    }

    private void portGroup(Step.PortGroup g, String via) throws Exchange.StepFailed {
        byte[] data = new byte[1024];
        ScsiResult r = x.send(via, TargetPortGroups.reportCdb(data.length), Direction.FROM_DEVICE, data);
        if (!r.isGood()) {
            throw new Exchange.StepFailed(via + ": REPORT TARGET PORT GROUPS answered " + r.describe());
        }
        List<TargetPortGroups.Group> groups = TargetPortGroups.decode(data);
        TargetPortGroups.Group found = groups.stream().filter(t -> t.id() == g.group()).findFirst().orElse(null);
        boolean ok = found != null && found.state().shortName().equals(g.state())
                && g.ports().map(p -> p.stream().sorted().toList().equals(found.ports().stream().sorted().toList()))
                .orElse(true);
        if (!ok) {
            throw new Exchange.StepFailed("REPORT TARGET PORT GROUPS gave " + (groups.isEmpty() ? "no groups"
                    : groups.stream().map(t -> t.id() + " " + t.state().shortName() + " ports=" + t.ports())
                    .collect(Collectors.joining("; "))));
        }
    }

    private void status(Step.Status st, String via) throws Exchange.StepFailed {
        NexusIdentities.Identity id = identities.get(st.nexus());
        FullStatusData f = FullStatusData.decode(x.prIn(via, PrInAction.READ_FULL_STATUS));
        List<FullStatusData.Descriptor> candidates = f.descriptors().stream().filter(id::mayBe).toList();
        boolean ok;
        if (st.none()) {
            ok = candidates.isEmpty();
        } else {
            ok = candidates.stream().anyMatch(d -> d.key() == st.key() && d.holder() == st.holder()
                    && d.allTgPt() == st.allTgPt() && (st.typeCode() == 0 || d.typeCode() == st.typeCode()));
        }
        if (!ok) {
            throw new Exchange.StepFailed("READ FULL STATUS for " + st.nexus() + " (" + id + ") gave "
                    + (candidates.isEmpty() ? "no registration" : candidates.stream()
                    .map(FullStatusData.Descriptor::toString).collect(Collectors.joining("; "))));
        }
    }

    void capabilities(Step.Capabilities c, String via) throws Exchange.StepFailed {
        CapabilitiesData d = CapabilitiesData.decode(x.prIn(via, PrInAction.REPORT_CAPABILITIES));
        Map<String, Integer> got = Map.of("crh", bit(d.crh()), "sip_c", bit(d.sipC()), "atp_c", bit(d.atpC()),
                "ptpl_c", bit(d.ptplC()), "tmv", bit(d.tmv()), "allow_commands", d.allowCommands(),
                "ptpl_a", bit(d.ptplA()));
        for (Map.Entry<String, Integer> e : c.fields().entrySet()) {
            if (!got.get(e.getKey()).equals(e.getValue())) {
                throw new Exchange.StepFailed("REPORT CAPABILITIES has " + e.getKey() + "=" + got.get(e.getKey()));
            }
        }
        if (c.typeMask().isPresent()) {
            int mask = 0;
            for (PrType t : d.types()) {
                mask |= 1 << t.scsiCode();
            }
            if (mask != c.typeMask().get()) {
                throw new Exchange.StepFailed("REPORT CAPABILITIES types are " + d.types().stream().sorted()
                        .map(PrType::blkprName).collect(Collectors.joining(",")));
            }
        }
    }

    private ReadKeysData keys(String via) throws Exchange.StepFailed {
        return ReadKeysData.decode(x.prIn(via, PrInAction.READ_KEYS));
    }

    private int readBlockSize(String n) throws Exchange.StepFailed {
        byte[] d = new byte[32];
        ScsiResult r = x.send(n, Cdb.readCapacity16(32), Direction.FROM_DEVICE, d);
        if (!r.isGood()) {
            throw new Exchange.StepFailed(n + ": READ CAPACITY(16) answered " + r.describe());
        }
        return Cdb.getInt(d, 8);
    }

    private static String describe(ReadReservationData d) {
        return d.reserved() ? PrKeys.hex(d.key()) + " " + PrType.fromScsiCode(d.typeCode()).map(PrType::blkprName)
                .orElse("type " + d.typeCode()) : "none";
    }

    private static String keyList(List<Long> keys) {
        return keys.isEmpty() ? "none" : keys.stream().map(PrKeys::hex).collect(Collectors.joining(" "));
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
