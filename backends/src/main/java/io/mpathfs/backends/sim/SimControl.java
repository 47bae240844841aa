package io.mpathfs.backends.sim;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.ScsiRetry;
import io.mpathfs.backends.pr.CapabilitiesData;
import io.mpathfs.backends.pr.FullStatusData;
import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrIn;
import io.mpathfs.backends.pr.PrInAction;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.pr.ReadKeysData;
import io.mpathfs.backends.pr.ReadReservationData;
import io.mpathfs.backends.pr.TransportId;
import io.mpathfs.backends.scsi.AluaState;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The text commands of a mount's {@code ctl/sim} file: fault injection on this host's paths, and
 * other hosts acting on the LU. Every line gets text back — a result, or "error: …" — and nothing
 * throws. Reading the file shows {@link SimTarget#describe()}.
 *
 * <pre>
 * path N offline | online          transport failure on sim:N = nexus AN (N from 1; commands never reach the LU)
 * path N latency MS                added latency per command on sim:N
 * path add                         a new target port and this host's path through it; prints its name
 * path list
 * host B -c register -k 0xb        any blkpr-style PR command, from host B through target port 1;
 * host B2 -c preempt -K 0xb -k 0xa -t exclusive-access     "B2" = through target port 2
 * host B -c read-keys | read-reservation | read-full-status | report-capabilities
 * host B read|write LBA [BLOCKS]   IO from that host: GOOD or RESERVATION CONFLICT
 * host B tur
 * group G state ao|ano|standby|unavailable|transitioning   the array moves target port group G (2A/06 to its ports)
 * port N group G                   target port N joins group G (a new group starts active/optimized; 3F/03 to its nexuses)
 * power-cycle                      power loss and return (APTPL state survives, 29/00 for everyone)
 * help
 * </pre>
 * Other hosts behave like Linux sd.c: APTPL set on REGISTER, unit attentions retried (and shown).
 */
public final class SimControl {
    public static final int MAX_LINE = 4096;
    private static final int MAX_IO_BLOCKS = 2048;

    private final SimTarget target;

    public SimControl(SimTarget target) {
        this.target = target;
    }

    /** What reading ctl/sim shows. */
    public String read() {
        return target.describe();
    }

    /** Runs one line; the answer always ends with a newline (empty for blank lines and comments). */
    public String execute(String line) {
        try {
            return run(line);
        } catch (ControlException e) {
            return "error: " + e.getMessage() + "\n";
        } catch (RuntimeException e) {
            return "error: " + e.getClass().getSimpleName() + ": " + e.getMessage() + "\n";
        }
    }

    private static final class ControlException extends Exception {
        ControlException(String message) {
            super(message);
        }
    }

    private String run(String line) throws ControlException {
        if (line == null) {
            return "";
        }
        if (line.length() > MAX_LINE) {
            throw new ControlException("line longer than " + MAX_LINE + " characters");
        }
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return "";
        }
        List<String> w = Arrays.asList(l.split("\\s+"));
        switch (w.get(0).toLowerCase(Locale.ROOT)) {
            case "help":
                expectWords(w, 1, "help");
                return help();
            case "path":
                return path(w.subList(1, w.size()));
            case "host":
                return host(w.subList(1, w.size()));
            case "group":
                return group(w.subList(1, w.size()));
            case "port":
                return port(w.subList(1, w.size()));
            case "power-cycle":
                expectWords(w, 1, "power-cycle");
                target.powerCycle();
                return "power cycled: APTPL state kept, 29/00 pending on every nexus\n";
            default:
                throw new ControlException("unknown command '" + cut(w.get(0)) + "' (try help)");
        }
    }

    private static String help() {
        return """
                path N offline|online
                path N latency MS
                path add
                path list
                host H[PORT] -c COMMAND [-k KEY] [-K OLDKEY] [-t TYPE] [-f ignore-key]
                host H[PORT] read|write LBA [BLOCKS]
                host H[PORT] tur
                group G state ao|ano|standby|unavailable|transitioning
                port N group G
                power-cycle
                """;
    }

    private String path(List<String> w) throws ControlException {
        if (w.isEmpty()) {
            throw new ControlException("path needs N offline|online|latency MS, add or list");
        }
        if (w.get(0).equals("add")) {
            expectWords(w, 1, "path add");
            return target.addPath().name() + "\n";
        }
        if (w.get(0).equals("list")) {
            expectWords(w, 1, "path list");
            StringBuilder b = new StringBuilder();
            for (SimPath p : target.paths()) {
                SimNexus n = p.nexus();
                b.append(p.name()).append(' ').append(n.name()).append(' ').append(n.online() ? "online" : "offline")
                        .append(" latency ").append(n.latencyMs()).append(" ms\n");
            }
            return b.toString();
        }
        // Paths are numbered as the view and the nexus names number them: path N is sim:N, this
        // host's nexus AN through target port N.
        int number = number(w.get(0), "path number", 1, 10_000);
        SimPath p = target.path("sim:" + number).orElse(null);
        if (p == null) {
            List<String> names = target.paths().stream().map(SimPath::name).toList();
            throw new ControlException("no path sim:" + number + " (the paths are " + String.join(", ", names) + ")");
        }
        if (w.size() < 2) {
            throw new ControlException("path " + number + " needs offline, online or latency MS");
        }
        switch (w.get(1)) {
            case "offline", "online" -> {
                expectWords(w, 2, "path N offline|online");
                p.nexus().setOnline(w.get(1).equals("online"));
                return p.name() + " " + w.get(1) + "\n";
            }
            case "latency" -> {
                expectWords(w, 3, "path N latency MS");
                int ms = number(w.get(2), "latency", 0, 600_000);
                p.nexus().setLatencyMs(ms);
                return p.name() + " latency " + ms + " ms\n";
            }
            default -> throw new ControlException("unknown path action '" + cut(w.get(1)) + "'");
        }
    }

    private String host(List<String> w) throws ControlException {
        if (w.size() < 2) {
            throw new ControlException("host needs a host (B, or B2 for target port 2) and a command");
        }
        // The command is checked before the host's nexus is looked up: naming a host creates its
        // nexus, and a refused command must leave the target as it was.
        String host = w.get(0);
        List<String> rest = w.subList(1, w.size());
        String first = rest.get(0);
        if (first.startsWith("-")) {
            PrCommand c;
            try {
                c = PrCommand.parse(rest);
            } catch (PrSyntaxException e) {
                throw new ControlException(e.getMessage());
            }
            return prCommand(nexusOf(host), c);
        }
        switch (first) {
            case "read", "write" -> {
                if (rest.size() < 2 || rest.size() > 3) {
                    throw new ControlException("host H " + first + " LBA [BLOCKS]");
                }
                long lba = key(rest.get(1), "LBA");
                int blocks = rest.size() == 3 ? number(rest.get(2), "BLOCKS", 1, MAX_IO_BLOCKS) : 1;
                return io(nexusOf(host), first.equals("write"), lba, blocks);
            }
            case "tur" -> {
                expectWords(rest, 1, "host H tur");
                SimNexus n = nexusOf(host);
                Sent s = send(n, Cdb.testUnitReady(), Direction.NONE, null);
                return s.line(n);
            }
            default -> throw new ControlException("unknown host command '" + cut(first)
                    + "' (a PR command starts with -c; else read, write or tur)");
        }
    }

    private String group(List<String> w) throws ControlException {
        if (w.size() != 3 || !w.get(1).equals("state")) {
            throw new ControlException("usage: group G state ao|ano|standby|unavailable|transitioning");
        }
        int g = number(w.get(0), "group", 0, PortGroups.MAX_GROUP);
        AluaState s = AluaState.fromShortName(w.get(2)).orElseThrow(() -> new ControlException(
                "unknown state '" + cut(w.get(2)) + "' (ao, ano, standby, unavailable or transitioning)"));
        try {
            target.setGroupState(g, s);
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        }
        return "group " + g + " " + s.shortName() + "\n";
    }

    private String port(List<String> w) throws ControlException {
        if (w.size() != 3 || !w.get(1).equals("group")) {
            throw new ControlException("usage: port N group G");
        }
        int n = number(w.get(0), "port", 1, 10_000);
        int g = number(w.get(2), "group", 0, PortGroups.MAX_GROUP);
        try {
            target.movePort(n, g);
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        }
        return "port " + n + " group " + g + "\n";
    }

    private SimNexus nexusOf(String word) throws ControlException {
        try {
            return word.length() == 1 ? target.nexus(word, 1) : target.nexus(word);
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        }
    }

    /** A command sent with sd.c-like unit attention retries, and the unit attentions it met. */
    private record Sent(ScsiResult result, List<String> unitAttentions) {
        String line(SimNexus n) {
            String ua = unitAttentions.isEmpty() ? ""
                    : "  (after unit attention " + String.join(", ", unitAttentions) + ")";
            return n.name() + ": " + result.describe() + ua + "\n";
        }
    }

    private Sent send(SimNexus n, byte[] cdb, Direction dir, byte[] data) throws ControlException {
        List<String> seen = new ArrayList<>();
        try {
            ScsiResult r = ScsiRetry.execute(n, (asc, ascq) -> seen.add(String.format("%02x/%02x", asc, ascq)),
                    cdb, dir, data, ScsiChannel.DEFAULT_TIMEOUT_MS);
            return new Sent(r, seen);
        } catch (PathException e) {
            throw new ControlException(e.getMessage());
        }
    }

    private String prCommand(SimNexus n, PrCommand c) throws ControlException {
        if (c.verb().isPrOut()) {
            // As sd.c sends it: APTPL on every REGISTER.
            PrOut.Request r = PrOut.of(c, true);
            return send(n, r.cdb(), Direction.TO_DEVICE, r.params()).line(n);
        }
        PrInAction action = switch (c.verb()) {
            case READ_KEYS -> PrInAction.READ_KEYS;
            case READ_RESERVATION -> PrInAction.READ_RESERVATION;
            case READ_FULL_STATUS -> PrInAction.READ_FULL_STATUS;
            default -> PrInAction.REPORT_CAPABILITIES;
        };
        byte[] data = new byte[PrIn.defaultAllocation(action)];
        Sent s = send(n, PrIn.cdb(action), Direction.FROM_DEVICE, data);
        if (!s.result().isGood()) {
            return s.line(n);
        }
        StringBuilder b = new StringBuilder(s.line(n));
        switch (action) {
            case READ_KEYS -> {
                ReadKeysData k = ReadKeysData.decode(data);
                b.append(String.format("Generation: %#x%n", k.generation()));
                if (k.keys().isEmpty()) {
                    b.append("No registered keys\n");
                }
                for (long key : k.keys()) {
                    b.append(PrKeys.format(key)).append('\n');
                }
            }
            case READ_RESERVATION -> {
                ReadReservationData r = ReadReservationData.decode(data);
                if (!r.reserved()) {
                    b.append(String.format("Generation: %#x%nNo reservation%n", r.generation()));
                } else {
                    b.append(String.format("Key: %s%nGeneration: %#x%nType: %s%n", PrKeys.hex(r.key()),
                            r.generation(), r.type().map(PrType::blkprName).orElse("code " + r.typeCode())));
                }
            }
            case READ_FULL_STATUS -> {
                FullStatusData f = FullStatusData.decode(data);
                b.append(String.format("Generation: %#x%n", f.generation()));
                if (f.descriptors().isEmpty()) {
                    b.append("No registrations\n");
                }
                for (FullStatusData.Descriptor d : f.descriptors()) {
                    String who = target.hostOf(TransportId.describe(d.transportId()));
                    b.append(String.format("key %s  port %d  initiator %s%s%s%n", PrKeys.hex(d.key()),
                            d.relativeTargetPort(), who, d.allTgPt() ? "  all_tg_pt" : "",
                            d.holder() ? "  holder " + d.type().map(PrType::blkprName).orElse("?") : ""));
                }
            }
            default -> {
                CapabilitiesData cap = CapabilitiesData.decode(data);
                b.append(String.format("CRH=%d SIP_C=%d ATP_C=%d PTPL_C=%d TMV=%d ALLOW_COMMANDS=%d PTPL_A=%d%n",
                        bit(cap.crh()), bit(cap.sipC()), bit(cap.atpC()), bit(cap.ptplC()), bit(cap.tmv()),
                        cap.allowCommands(), bit(cap.ptplA())));
                b.append("types: ").append(cap.types().stream().sorted().map(PrType::blkprName)
                        .collect(Collectors.joining(", "))).append('\n');
            }
        }
        return b.toString();
    }

    private String io(SimNexus n, boolean write, long lba, int blocks) throws ControlException {
        byte[] data = new byte[blocks * target.config().blockSize()];
        if (write) {
            // Recognisable data: the host's letter.
            Arrays.fill(data, (byte) n.name().charAt(0));
        }
        byte[] cdb = write ? Cdb.write16(lba, blocks) : Cdb.read16(lba, blocks);
        return send(n, cdb, write ? Direction.TO_DEVICE : Direction.FROM_DEVICE, data).line(n);
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    private static void expectWords(List<String> w, int count, String usage) throws ControlException {
        if (w.size() != count) {
            throw new ControlException("usage: " + usage);
        }
    }

    private static int number(String s, String what, int min, int max) throws ControlException {
        long v = key(s, what);
        if (v < min || v > max) {
            throw new ControlException(what + " must be " + min + ".." + max + ": " + cut(s));
        }
        return (int) v;
    }

    private static long key(String s, String what) throws ControlException {
        try {
            return PrKeys.parse(s);
        } catch (PrSyntaxException e) {
            throw new ControlException(what + ": " + e.getMessage());
        }
    }

    private static String cut(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : t.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
