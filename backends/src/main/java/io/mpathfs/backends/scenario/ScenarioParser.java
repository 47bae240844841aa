package io.mpathfs.backends.scenario;

import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.AluaState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the scenario format: plain text, one step per line, {@code #} starts a comment.
 *
 * <pre>
 * title: PREEMPT of the holder's key moves the reservation      # header lines
 * tags: preempt                                                 # free words; the runner can skip by tag
 * observer: B2                                                  # checks read through B2 (default A1)
 *
 * A1 register sark=0xa                  # a command: NEXUS VERB ARGS (see CommandBuilder)
 * B1 register sark=0xb
 * A1 reserve rk=0xa type=exclusive-access
 * B1 write lba=0                        # no expect line: must be GOOD
 * expect RESERVATION_CONFLICT           # the answer the command above must give
 * B1 preempt rk=0xb sark=0xa type=write-exclusive => GOOD      # same, inline
 * ua A1 2a/05                           # A1's next command (TEST UNIT READY) reports 2A/05
 * ua A1 none                            # and then nothing
 * keys 0xb                              # READ KEYS: this sorted multiset of keys
 * reservation 0xb write-exclusive       # READ RESERVATION (or: reservation none)
 * status B1 key=0xb holder type=write-exclusive   # READ FULL STATUS entry of B1 (or: status A1 none)
 * generation +4                         # PRgeneration, relative to the start of the scenario
 * capabilities atp_c=1 ptpl_c=1 types=all          # REPORT CAPABILITIES fields
 * keys 0xb via B2                       # any check can name the nexus it reads through
 * </pre>
 * Nexus names are a host letter and a relative target port: A1..A4 are host A's I_T nexuses
 * through target ports 1..4. Where LIO and SPC-4 disagree a scenario states LIO's answer and says
 * so in a comment starting "LIO-vs-SPC:".
 */
public final class ScenarioParser {
    private static final Pattern NEXUS = Pattern.compile("[A-Z][0-9]{1,2}");
    private static final Set<String> CAPABILITY_FIELDS = Set.of("crh", "sip_c", "atp_c", "ptpl_c", "tmv",
            "allow_commands", "ptpl_a");

    private ScenarioParser() {
    }

    public static Scenario parse(String name, String text) throws ScenarioSyntaxException {
        String title = "";
        Set<String> tags = new LinkedHashSet<>();
        String observer = Scenario.DEFAULT_OBSERVER;
        List<Step> steps = new ArrayList<>();
        boolean lastExpectExplicit = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            int hash = raw.indexOf('#');
            String l = (hash < 0 ? raw : raw.substring(0, hash)).strip();
            if (l.isEmpty()) {
                continue;
            }
            try {
                List<String> w = Arrays.asList(l.split("\\s+"));
                String first = w.get(0);
                String lower = first.toLowerCase(Locale.ROOT);
                if (lower.equals("title:")) {
                    title = l.substring(first.length()).strip();
                } else if (lower.equals("tags:")) {
                    for (String t : l.substring(first.length()).split("[,\\s]+")) {
                        if (!t.isBlank()) {
                            tags.add(t.strip().toLowerCase(Locale.ROOT));
                        }
                    }
                } else if (lower.equals("observer:")) {
                    observer = nexus(w, 1);
                    expectSize(w, 2, "observer: NEXUS");
                } else if (lower.equals("expect")) {
                    if (steps.isEmpty() || !(steps.get(steps.size() - 1) instanceof Step.Command c)) {
                        throw new ScenarioSyntaxException("expect must follow a command");
                    }
                    if (lastExpectExplicit) {
                        throw new ScenarioSyntaxException("the command above already has an expected answer");
                    }
                    steps.set(steps.size() - 1, c.withExpect(Expectation.parse(l.substring(first.length()))));
                    lastExpectExplicit = true;
                } else if (NEXUS.matcher(first).matches()) {
                    steps.add(command(lineNo, l, w));
                    lastExpectExplicit = l.contains("=>");
                } else {
                    steps.add(check(lineNo, l, w));
                    lastExpectExplicit = false;
                }
            } catch (ScenarioSyntaxException e) {
                throw new ScenarioSyntaxException(name + ".scn:" + lineNo + ": " + e.getMessage());
            }
        }
        if (steps.isEmpty()) {
            throw new ScenarioSyntaxException(name + ".scn: no steps");
        }
        return new Scenario(name, title, tags, observer, steps);
    }

    private static Step.Command command(int lineNo, String l, List<String> w) throws ScenarioSyntaxException {
        String nexus = w.get(0);
        Expectation expect = Expectation.GOOD;
        List<String> words = new ArrayList<>(w.subList(1, w.size()));
        int arrow = words.indexOf("=>");
        if (arrow >= 0) {
            expect = Expectation.parse(String.join(" ", words.subList(arrow + 1, words.size())));
            words = new ArrayList<>(words.subList(0, arrow));
        }
        if (words.isEmpty()) {
            throw new ScenarioSyntaxException("a command needs a verb after the nexus");
        }
        String verb = words.get(0).toLowerCase(Locale.ROOT);
        List<String> args = List.copyOf(words.subList(1, words.size()));
        CommandBuilder.build(verb, args, 512); // reject mistakes now, not halfway through a lab run
        return new Step.Command(lineNo, l, nexus, verb, args, expect);
    }

    private static Step check(int lineNo, String l, List<String> all) throws ScenarioSyntaxException {
        Optional<String> via = Optional.empty();
        List<String> w = all;
        int v = w.indexOf("via");
        if (v >= 0) {
            if (v != w.size() - 2) {
                throw new ScenarioSyntaxException("'via NEXUS' must end the line");
            }
            via = Optional.of(nexus(w, v + 1));
            w = w.subList(0, v);
        }
        String verb = w.get(0).toLowerCase(Locale.ROOT);
        switch (verb) {
            case "ua": {
                expectSize(w, 3, "ua NEXUS AA/QQ|none");
                if (via.isPresent()) {
                    throw new ScenarioSyntaxException("ua reads through the nexus it names, not via");
                }
                String n = nexus(w, 1);
                Optional<int[]> aq = w.get(2).equalsIgnoreCase("none") ? Optional.empty()
                        : Optional.of(Expectation.ascAscq(w.get(2)));
                return new Step.UnitAttention(lineNo, l, n, aq);
            }
            case "keys": {
                if (w.size() < 2) {
                    throw new ScenarioSyntaxException("keys needs keys, or none");
                }
                List<Long> keys = new ArrayList<>();
                if (!(w.size() == 2 && w.get(1).equalsIgnoreCase("none"))) {
                    for (String k : w.subList(1, w.size())) {
                        keys.add(key(k));
                    }
                }
                Collections.sort(keys);
                return new Step.Keys(lineNo, l, via, keys);
            }
            case "reservation": {
                if (w.size() == 2 && w.get(1).equalsIgnoreCase("none")) {
                    return new Step.Reservation(lineNo, l, via, true, 0, 0);
                }
                expectSize(w, 3, "reservation KEY TYPE | reservation none");
                return new Step.Reservation(lineNo, l, via, false, key(w.get(1)), type(w.get(2)));
            }
            case "generation": {
                expectSize(w, 2, "generation +N");
                String d = w.get(1);
                if (!d.startsWith("+") || d.length() < 2) {
                    throw new ScenarioSyntaxException("generation is relative to the start: +N");
                }
                return new Step.Generation(lineNo, l, via, (int) Math.min(key(d.substring(1)), Integer.MAX_VALUE));
            }
            case "status":
                return status(lineNo, l, via, w);
            case "target":
                return target(lineNo, l, via, w);
            case "tpg":
                return portGroup(lineNo, l, via, w);
            case "capabilities":
                return capabilities(lineNo, l, via, w);
            default:
                throw new ScenarioSyntaxException("unknown step '" + w.get(0) + "' (a command starts with a nexus "
                        + "like A1; checks are ua, keys, reservation, generation, status, capabilities, tpg; target changes the "
                        + "port groups)");
        }
    }

    private static Step target(int lineNo, String l, Optional<String> via, List<String> w)
            throws ScenarioSyntaxException {
        boolean group = w.size() == 5 && w.get(1).equals("group") && w.get(3).equals("state")
                && AluaState.fromShortName(w.get(4)).isPresent();
        boolean port = w.size() == 5 && w.get(1).equals("port") && w.get(3).equals("group");
        if (via.isPresent() || !(group || port)) {
            throw new ScenarioSyntaxException("usage: target group G state ao|ano|standby|unavailable|transitioning"
                    + " | target port N group G");
        }
        key(w.get(2));
        key(w.get(port ? 4 : 2));
        return new Step.Target(lineNo, l, List.copyOf(w.subList(1, w.size())));
    }

    private static Step portGroup(int lineNo, String l, Optional<String> via, List<String> w)
            throws ScenarioSyntaxException {
        if (w.size() < 3 || w.size() > 4 || AluaState.fromShortName(w.get(2)).isEmpty()) {
            throw new ScenarioSyntaxException("usage: tpg G ao|ano|standby|unavailable|transitioning [ports=P,P]");
        }
        Optional<List<Integer>> ports = Optional.empty();
        if (w.size() == 4) {
            if (!w.get(3).startsWith("ports=")) {
                throw new ScenarioSyntaxException("tpg: expected ports=P,P: " + w.get(3));
            }
            List<Integer> l2 = new ArrayList<>();
            for (String p : w.get(3).substring(6).split(",")) {
                l2.add((int) key(p));
            }
            ports = Optional.of(List.copyOf(l2));
        }
        return new Step.PortGroup(lineNo, l, via, (int) key(w.get(1)), w.get(2).toLowerCase(Locale.ROOT), ports);
    }

    private static Step status(int lineNo, String l, Optional<String> via, List<String> w)
            throws ScenarioSyntaxException {
        if (w.size() < 3) {
            throw new ScenarioSyntaxException("status NEXUS key=K [holder] [type=T] [all-tg-pt] | status NEXUS none");
        }
        String n = nexus(w, 1);
        if (w.size() == 3 && w.get(2).equalsIgnoreCase("none")) {
            return new Step.Status(lineNo, l, via, n, true, 0, false, 0, false);
        }
        Args a = Args.parse("status", w.subList(2, w.size()), Set.of("key", "holder", "type", "all-tg-pt"));
        return new Step.Status(lineNo, l, via, n, false, a.required("key"), a.flag("holder"),
                a.typeCode("type", false), a.flag("all-tg-pt"));
    }

    private static Step capabilities(int lineNo, String l, Optional<String> via, List<String> w)
            throws ScenarioSyntaxException {
        Map<String, Integer> fields = new HashMap<>();
        Optional<Integer> mask = Optional.empty();
        for (String f : w.subList(1, w.size())) {
            int eq = f.indexOf('=');
            if (eq < 0) {
                throw new ScenarioSyntaxException("capabilities takes FIELD=VALUE: " + f);
            }
            String name = f.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = f.substring(eq + 1);
            if (name.equals("types")) {
                mask = Optional.of(typeMask(value));
            } else if (CAPABILITY_FIELDS.contains(name)) {
                fields.put(name, (int) key(value));
            } else {
                throw new ScenarioSyntaxException("unknown capability '" + name + "' (" + String.join(", ",
                        CAPABILITY_FIELDS) + ", types)");
            }
        }
        if (fields.isEmpty() && mask.isEmpty()) {
            throw new ScenarioSyntaxException("capabilities needs at least one FIELD=VALUE");
        }
        return new Step.Capabilities(lineNo, l, via, Map.copyOf(fields), mask);
    }

    /** "all" or a comma list of blkpr names, as the set of SCSI type codes (bit per code). */
    private static int typeMask(String value) throws ScenarioSyntaxException {
        int mask = 0;
        if (value.equalsIgnoreCase("all")) {
            for (PrType t : PrType.values()) {
                mask |= 1 << t.scsiCode();
            }
            return mask;
        }
        for (String t : value.split(",")) {
            mask |= 1 << type(t);
        }
        return mask;
    }

    private static String nexus(List<String> w, int i) throws ScenarioSyntaxException {
        if (i >= w.size() || !NEXUS.matcher(w.get(i)).matches()) {
            throw new ScenarioSyntaxException("expected a nexus like A1 or B2" + (i < w.size() ? ": '" + w.get(i) + "'"
                    : ""));
        }
        return w.get(i);
    }

    private static long key(String s) throws ScenarioSyntaxException {
        try {
            return PrKeys.parse(s);
        } catch (PrSyntaxException e) {
            throw new ScenarioSyntaxException(e.getMessage());
        }
    }

    private static int type(String s) throws ScenarioSyntaxException {
        return PrType.fromBlkprName(s).orElseThrow(() -> new ScenarioSyntaxException("unknown type '" + s + "' ("
                + PrType.blkprNames() + ")")).scsiCode();
    }

    private static void expectSize(List<String> w, int n, String usage) throws ScenarioSyntaxException {
        if (w.size() != n) {
            throw new ScenarioSyntaxException("usage: " + usage);
        }
    }
}
