package io.mpathfs.backends.scenario;

import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The scenario files once more, with host A being an mpathfs mount over A's nexuses: what an
 * application does on the mount must get the answers the scenario expects from ONE nexus of host
 * A — that is the bar for PR on multipath. Host B's nexuses stay raw (SG_IO / the embedded target).
 *
 * <p>Translation: A's PR OUT commands go to ctl/pr in blkpr terms, its READ/WRITE/SYNCHRONIZE
 * CACHE to {@code disk}; GOOD is success, RESERVATION CONFLICT is EBADE, CHECK CONDITION is an
 * error whose ctl/pr reason names the same sense (or, for what mpathfs refuses itself, EINVAL for
 * ILLEGAL REQUEST). Checks fold host A's registrations into one, as one nexus would show them:
 * ours are the READ FULL STATUS entries whose initiator is none of the raw nexuses'. Not carried
 * over (counted, not run): PRgeneration (every path's REGISTER counts), unit attentions on A
 * (mpathfs consumes them, as the kernel does), commands an application cannot send through a
 * block file (TEST UNIT READY, INQUIRY, raw CDBs, ...), and IO beyond the end of the disk.
 * Scenarios that use two of host A's nexuses as different nexuses, or APTPL / ALL_TG_PT
 * registration (not ctl/pr options), do not apply and are reported as SKIP with the reason.
 */
public final class MultipathHostRunner implements AutoCloseable {
    static final String HOST = "A";
    private static final int SETTLE_MS = 30_000;

    private final MountedHost host;
    private final ScenarioRunner raw;
    private Map<String, NexusIdentities.Identity> identities;
    private Set<String> rawInitiators;
    private int skippedSteps;

    /** @param rawNexuses the other hosts' nexuses by name (B1 …); the first one does the cleanup */
    public MultipathHostRunner(Path mount, Map<String, ScsiChannel> rawNexuses) throws NativeException {
        if (rawNexuses.keySet().stream().anyMatch(n -> n.startsWith(HOST))) {
            throw new IllegalArgumentException("host A is the mount; raw nexuses must be other hosts'");
        }
        this.raw = new ScenarioRunner(rawNexuses);
        this.host = MountedHost.open(mount);
    }

    /** Why this scenario cannot be run with host A as one multipath device, if it cannot. */
    static Optional<String> notApplicable(Scenario s) {
        Set<String> aNexuses = new TreeSet<>();
        for (Step st : s.steps()) {
            if (st instanceof Step.Target) {
                // What one nexus answers in each ALUA state is no longer one device's answer once
                // mpathfs moves IO between groups; the mount's ALUA handling has tests of its own.
                return Optional.of("changes target port groups: mpathfs moves IO off refusing ports");
            }
            if (st instanceof Step.Command c && isA(c.nexus())) {
                aNexuses.add(c.nexus());
                if (c.words().stream().anyMatch(w -> w.equals("aptpl") || w.startsWith("aptpl=")
                        || w.equals("all-tg-pt") || w.startsWith("all-tg-pt="))) {
                    return Optional.of("APTPL / ALL_TG_PT registration is not a ctl/pr option");
                }
            } else if (st instanceof Step.UnitAttention u && isA(u.nexus())) {
                aNexuses.add(u.nexus());
            } else if (st instanceof Step.Status t && isA(t.nexus())) {
                aNexuses.add(t.nexus());
            }
        }
        if (aNexuses.size() > 1) {
            return Optional.of("uses " + String.join(", ", aNexuses) + " as different nexuses of host A; "
                    + "mpathfs makes them one");
        }
        return Optional.empty();
    }

    public ScenarioResult run(Scenario s) {
        Optional<String> why = notApplicable(s);
        if (why.isPresent()) {
            return ScenarioResult.skip(s.name(), why.get());
        }
        List<String> missing = s.nexuses().stream().filter(n -> !isA(n) && !raw.exchange().channels().containsKey(n))
                .toList();
        if (!missing.isEmpty()) {
            return ScenarioResult.skip(s.name(), "needs nexus " + String.join(", ", missing));
        }
        int done = 0;
        skippedSteps = 0;
        try {
            prepare();
            for (Step st : s.steps()) {
                try {
                    step(st, s.observer());
                } catch (Exchange.StepFailed e) {
                    throw new Exchange.StepFailed("line " + st.line() + ": " + st.text() + ": " + e.getMessage());
                }
                done++;
            }
            ScenarioResult r = ScenarioResult.pass(s.name(), done);
            return skippedSteps == 0 ? r : new ScenarioResult(r.name(), r.outcome(),
                    skippedSteps + " step(s) not applicable to a block file", done);
        } catch (Exchange.StepFailed e) {
            return ScenarioResult.fail(s.name(), e.getMessage(), done);
        } catch (RuntimeException e) {
            return ScenarioResult.fail(s.name(), "after step " + done + ": " + e, done);
        }
    }

    /** A clean LU, and mpathfs having noticed it (a foreign CLEAR is a preemption to it). */
    private void prepare() throws Exchange.StepFailed {
        Exchange x = raw.exchange();
        LuCleaner.clean(x);
        if (identities == null) {
            identities = NexusIdentities.learn(x);
            rawInitiators = identities.values().stream().map(i -> TransportId.describe(i.transportId()))
                    .collect(Collectors.toSet());
        }
        raw.blockSize(x.channels().keySet().iterator().next());
        long deadline = System.currentTimeMillis() + SETTLE_MS;
        while (host.prState().equals("registered")) {
            if (System.currentTimeMillis() > deadline) {
                throw new Exchange.StepFailed("cleanup: mpathfs still believes itself registered "
                        + SETTLE_MS / 1000 + " s after the LU was cleared");
            }
            // IO meets the unit attentions the CLEAR left on our paths; that is how mpathfs learns.
            host.read(0, 1, blockSize(), null);
            sleep(100);
        }
    }

    private void step(Step st, String observer) throws Exchange.StepFailed {
        if (st instanceof Step.Command c) {
            if (isA(c.nexus())) {
                hostCommand(c);
            } else {
                raw.command(c);
            }
        } else if (st instanceof Step.UnitAttention u) {
            if (isA(u.nexus())) {
                skippedSteps++;
            } else {
                raw.unitAttention(u);
            }
        } else if (st instanceof Step.Check ch) {
            check(ch, ch.via().orElse(observer));
        }
    }

    private void hostCommand(Step.Command c) throws Exchange.StepFailed {
        if (c.expect().status() == ScsiStatus.CHECK_CONDITION && c.expect().senseKey() == SenseKey.UNIT_ATTENTION) {
            skippedSteps++; // a unit attention on one of A's nexuses: mpathfs takes it, the application never sees it
            return;
        }
        Args a;
        try {
            a = Args.parse(c.verb(), c.words(), Set.of("rk", "sark", "type", "lba", "blocks", "size", "fill", "alloc"));
        } catch (ScenarioSyntaxException e) {
            // A command with arguments a block file has no words for (page=, sa=, ...).
            skippedSteps++;
            return;
        }
        MountedHost.Outcome o;
        try {
            o = switch (c.verb()) {
                case "register" -> host.pr("-c register -K " + key(a, "rk") + " -k " + key(a, "sark"));
                case "register-ignore" -> host.pr("-c register -k " + key(a, "sark") + " -f ignore-key");
                case "reserve", "release" -> host.pr("-c " + c.verb() + " -k " + key(a, "rk") + " -t " + a.text("type"));
                case "clear" -> host.pr("-c clear -k " + key(a, "rk"));
                case "preempt", "preempt-abort" -> host.pr("-c " + c.verb() + " -K " + key(a, "rk") + " -k "
                        + key(a, "sark") + " -t " + a.text("type"));
                case "read-keys", "read-reservation", "read-full-status" -> host.pr("-c " + c.verb());
                case "read", "write" -> io(c.verb().equals("write"), a);
                case "sync" -> host.sync();
                default -> null;
            };
        } catch (ScenarioSyntaxException e) {
            throw new Exchange.StepFailed(e.getMessage());
        }
        if (o == null) {
            skippedSteps++;
            return;
        }
        if (!matches(c.expect(), o)) {
            throw new Exchange.StepFailed("expected " + c.expect().describe() + ", mpathfs gave " + o.describe());
        }
    }

    private MountedHost.Outcome io(boolean write, Args a) throws ScenarioSyntaxException, Exchange.StepFailed {
        long lba = a.required("lba");
        int blocks = (int) a.number("blocks", 1);
        if ((lba + blocks) * blockSize() > diskSize() || blocks > (1 << 20) / blockSize()) {
            return null; // a block file ends where the LU ends: a short read, not ILLEGAL REQUEST
        }
        Integer fill = a.has("fill") ? (int) a.required("fill") : null;
        return write ? host.write(lba, blocks, blockSize(), fill == null ? 0 : fill)
                : host.read(lba, blocks, blockSize(), fill);
    }

    /** Success is GOOD, EBADE is RESERVATION CONFLICT, and a CHECK CONDITION must show up in the reason. */
    static boolean matches(Expectation e, MountedHost.Outcome o) {
        if (e.status() == ScsiStatus.GOOD) {
            return o.ok();
        }
        if (e.status() == ScsiStatus.RESERVATION_CONFLICT) {
            return o.errno() == Errno.EBADE;
        }
        if (e.status() != ScsiStatus.CHECK_CONDITION || o.ok() || o.errno() == Errno.EBADE) {
            return false;
        }
        if (o.text().contains(e.describe())) {
            return true; // the device's own answer, passed on by the coordinator
        }
        // Refused by mpathfs before any device saw it (bad type, ...): EINVAL stands for ILLEGAL REQUEST.
        return o.errno() == Errno.EINVAL && e.senseKey() == SenseKey.ILLEGAL_REQUEST
                && !o.text().contains("CHECK CONDITION");
    }

    private void check(Step.Check ch, String via) throws Exchange.StepFailed {
        if (ch instanceof Step.Keys k) {
            List<Long> got = new ArrayList<>();
            List<PrText.Registration> regs = registrations(via);
            regs.stream().filter(r -> !ours(r)).forEach(r -> got.add(r.key()));
            regs.stream().filter(this::ours).map(PrText.Registration::key).distinct().forEach(got::add);
            Collections.sort(got);
            if (!got.equals(k.keys())) {
                throw new Exchange.StepFailed("keys (host A folded into one) are "
                        + (got.isEmpty() ? "none" : got.stream().map(PrKeys::hex).collect(Collectors.joining(" ")))
                        + "; READ FULL STATUS: " + regs);
            }
        } else if (ch instanceof Step.Reservation rs) {
            Optional<PrText.Held> h = reservation(via);
            boolean ok = rs.none() ? h.isEmpty() : h.isPresent() && h.get().key() == rs.key()
                    && h.get().typeCode() == rs.typeCode();
            if (!ok) {
                throw new Exchange.StepFailed("reservation is " + h.map(x -> PrKeys.hex(x.key()) + " type "
                        + x.typeCode()).orElse("none"));
            }
        } else if (ch instanceof Step.Status st) {
            status(st, via);
        } else if (ch instanceof Step.Capabilities c && !isA(via)) {
            raw.capabilities(c, via);
        } else {
            skippedSteps++; // PRgeneration; capabilities through ctl/pr's text
        }
    }

    private void status(Step.Status st, String via) throws Exchange.StepFailed {
        List<PrText.Registration> regs = registrations(via);
        List<PrText.Registration> candidates;
        if (isA(st.nexus())) {
            candidates = folded(regs.stream().filter(this::ours).toList());
        } else {
            NexusIdentities.Identity id = identities.get(st.nexus());
            String initiator = TransportId.describe(id.transportId());
            candidates = regs.stream().filter(r -> r.initiator().equals(initiator)
                    && (r.relativeTargetPort() == id.relativeTargetPort() || (r.allTgPt() && r.relativeTargetPort() == 0)))
                    .toList();
        }
        boolean ok = st.none() ? candidates.isEmpty() : candidates.stream().anyMatch(d -> d.key() == st.key()
                && d.holder() == st.holder() && d.allTgPt() == st.allTgPt()
                && (st.typeCode() == 0 || d.typeCode() == st.typeCode()));
        if (!ok) {
            throw new Exchange.StepFailed("READ FULL STATUS for " + st.nexus() + " gave "
                    + (candidates.isEmpty() ? "no registration" : candidates.toString()));
        }
    }

    /**
     * Host A's registrations as one nexus would show: one entry per key, holder if any of our
     * nexuses holds (the single-holder types make one of them the holder).
     */
    private static List<PrText.Registration> folded(List<PrText.Registration> ours) {
        List<PrText.Registration> out = new ArrayList<>();
        for (long key : new LinkedHashSet<>(ours.stream().map(PrText.Registration::key).toList())) {
            List<PrText.Registration> same = ours.stream().filter(r -> r.key() == key).toList();
            Optional<PrText.Registration> holder = same.stream().filter(PrText.Registration::holder).findFirst();
            PrText.Registration any = holder.orElse(same.get(0));
            out.add(new PrText.Registration(key, same.stream().anyMatch(PrText.Registration::allTgPt), 0,
                    holder.isPresent(), any.typeCode(), any.initiator()));
        }
        return out;
    }

    private List<PrText.Registration> registrations(String via) throws Exchange.StepFailed {
        if (isA(via)) {
            return PrText.fullStatus(host.prIn("read-full-status"));
        }
        return PrText.of(FullStatusData.decode(raw.exchange().prIn(via, PrInAction.READ_FULL_STATUS)));
    }

    private Optional<PrText.Held> reservation(String via) throws Exchange.StepFailed {
        if (isA(via)) {
            return PrText.reservation(host.prIn("read-reservation"));
        }
        ReadReservationData d = ReadReservationData.decode(raw.exchange().prIn(via, PrInAction.READ_RESERVATION));
        return d.reserved() ? Optional.of(new PrText.Held(d.key(), d.typeCode())) : Optional.empty();
    }

    private boolean ours(PrText.Registration r) {
        return !rawInitiators.contains(r.initiator());
    }

    private int blockSize() throws Exchange.StepFailed {
        return raw.blockSize(raw.exchange().channels().keySet().iterator().next());
    }

    private long diskSize() throws Exchange.StepFailed {
        try {
            return Files.size(host.mount().resolve("disk"));
        } catch (IOException e) {
            throw new Exchange.StepFailed("mpathfs: cannot stat disk: " + e.getMessage());
        }
    }

    private static String key(Args a, String name) throws ScenarioSyntaxException {
        return "0x" + Long.toHexString(a.number(name, 0));
    }

    private static boolean isA(String nexus) {
        return nexus.startsWith(HOST);
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
