package io.mpathfs.backends.scenario;

import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.backends.pr.PrType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code name=value} and bare-flag words after a step's verb, checked against what the verb
 * accepts. Numbers are C integers (decimal, 0x hex, leading-0 octal) like keys everywhere else.
 */
final class Args {
    private final String verb;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Args(String verb) {
        this.verb = verb;
    }

    static Args parse(String verb, List<String> words, Set<String> allowed) throws ScenarioSyntaxException {
        Args a = new Args(verb);
        for (String w : words) {
            int eq = w.indexOf('=');
            String name = (eq < 0 ? w : w.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : w.substring(eq + 1);
            if (!allowed.contains(name)) {
                throw new ScenarioSyntaxException(verb + " does not take '" + name + "' (it takes: "
                        + (allowed.isEmpty() ? "nothing" : String.join(", ", allowed)) + ")");
            }
            if (a.values.put(name, value) != null) {
                throw new ScenarioSyntaxException(verb + ": '" + name + "' given twice");
            }
        }
        return a;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A bare flag ("aptpl") or flag=1/0. */
    boolean flag(String name) throws ScenarioSyntaxException {
        String v = values.get(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "", "1", "yes", "true" -> true;
            case "0", "no", "false" -> false;
            default -> throw new ScenarioSyntaxException(verb + ": " + name + " is a flag (" + name + " or "
                    + name + "=0/1)");
        };
    }

    long number(String name, long dflt) throws ScenarioSyntaxException {
        String v = values.get(name);
        return v == null ? dflt : parseNumber(name, v);
    }

    long required(String name) throws ScenarioSyntaxException {
        String v = values.get(name);
        if (v == null) {
            throw new ScenarioSyntaxException(verb + " needs " + name + "=");
        }
        return parseNumber(name, v);
    }

    private long parseNumber(String name, String v) throws ScenarioSyntaxException {
        try {
            return PrKeys.parse(v);
        } catch (PrSyntaxException e) {
            throw new ScenarioSyntaxException(verb + ": " + name + ": " + e.getMessage());
        }
    }

    /** A type: blkpr name, or a raw TYPE code (to send invalid ones on purpose). */
    int typeCode(String name, boolean required) throws ScenarioSyntaxException {
        String v = values.get(name);
        if (v == null) {
            if (required) {
                throw new ScenarioSyntaxException(verb + " needs " + name + "= (" + PrType.blkprNames() + ")");
            }
            return 0;
        }
        if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
            long code = parseNumber(name, v);
            if (code > 15) {
                throw new ScenarioSyntaxException(verb + ": a raw type code is 0..15");
            }
            return (int) code;
        }
        return PrType.fromBlkprName(v).orElseThrow(() -> new ScenarioSyntaxException(verb + ": unknown type '" + v
                + "' (" + PrType.blkprNames() + ", or a number)")).scsiCode();
    }

    String text(String name) {
        return values.get(name);
    }
}
