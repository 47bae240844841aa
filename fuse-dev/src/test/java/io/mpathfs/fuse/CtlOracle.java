package io.mpathfs.fuse;

import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrKeys;
import io.mpathfs.backends.pr.PrSyntaxException;
import io.mpathfs.control.ctl.CommandLine;
import io.mpathfs.control.ctl.CtlException;
import io.mpathfs.control.policy.PathSelectors;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which fuzzed writes may legitimately change the device, the reservations or the target if the
 * daemon accepts them: those are not sent, so that every write that is sent must leave the state
 * as it was. Conservative: when unsure, a write counts as state-changing. It reads the command
 * as the daemon's files do (strict UTF-8, one trailing newline dropped) and uses the product's parsers
 * to recognise valid commands; where the daemon reads a write differently from this, the state
 * checks after each write catch it.
 *
 * @param ourKey the key registered through ctl/pr (any command naming it may change our state)
 * @param paths the paths' names (sim:1 ...)
 * @param policy the current IO policy (switching to it again changes nothing)
 */
record CtlOracle(long ourKey, Set<String> paths, String policy) {
    /** MountFiles refuses longer writes before reading them. */
    static final int MAX_COMMAND = 64 * 1024;

    /** Whether the ctl files take these bytes as a command at all (they refuse what is not UTF-8). */
    static boolean utf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The command line as the ctl files get it. */
    static String line(byte[] raw) {
        String line = new String(raw, StandardCharsets.UTF_8);
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    boolean mayChangeState(String file, byte[] raw) {
        if (raw.length > MAX_COMMAND || !utf8(raw)) {
            return false;
        }
        String line = line(raw);
        try {
            CommandLine.words(line); // every ctl file checks this first
        } catch (CtlException e) {
            return false;
        }
        return switch (file) {
            case "pr" -> prMayChange(line);
            case "paths" -> pathsMayChange(line);
            case "policy" -> policyMayChange(line);
            case "sim" -> simMayChange(line);
            case "status" -> false;
            default -> true;
        };
    }

    /**
     * A PR OUT command changes our state only when it names our key (as ours or as the victim) or
     * ignores keys; any other key is not registered through our nexuses, so the device refuses it
     * with a reservation conflict (REGISTER without -K is refused too: we are registered).
     */
    private boolean prMayChange(String line) {
        PrCommand c;
        try {
            c = PrCommand.parse(line);
        } catch (PrSyntaxException e) {
            return false;
        }
        return c.verb().isPrOut() && (c.ignoreKey() || c.key().orElse(-1L) == ourKey
                || c.oldKey().orElse(-1L) == ourKey);
    }

    /** fail and remove of an existing path; reinstate of an active path and add (refused on the embedded target) change nothing. */
    private boolean pathsMayChange(String line) {
        List<String> w = words(line);
        return w.size() == 2 && (w.get(0).equals("fail") || w.get(0).equals("remove")) && paths.contains(w.get(1));
    }

    private boolean policyMayChange(String line) {
        List<String> w = words(line);
        String name = w.size() == 2 && w.get(0).equals("set") ? w.get(1) : w.size() == 1 ? w.get(0) : null;
        return name != null && PathSelectors.names().contains(name) && !name.equals(policy);
    }

    /**
     * ctl/sim: taking a path offline or adding latency, adding a path, a power cycle, another
     * host's PR OUT command or write. Reads, TUR, help and lists change nothing (the hosts' nexuses
     * exist before the fuzzing starts, so naming one creates nothing).
     */
    private boolean simMayChange(String line) {
        String[] w = line.strip().split("\\s+");
        String verb = w[0].toLowerCase(Locale.ROOT);
        if (verb.equals("power-cycle")) {
            return true;
        }
        if (verb.equals("path")) {
            if (w.length < 2) {
                return false;
            }
            if (w[1].equalsIgnoreCase("add")) {
                return true;
            }
            try {
                long n = PrKeys.parse(w[1]);
                return n >= 1 && n <= paths.size() && w.length >= 3 && !w[2].equals("online");
            } catch (PrSyntaxException e) {
                return false;
            }
        }
        if (verb.equals("host") && w.length >= 3) {
            List<String> rest = List.of(w).subList(2, w.length);
            if (rest.get(0).startsWith("-")) {
                try {
                    return PrCommand.parse(rest).verb().isPrOut();
                } catch (PrSyntaxException e) {
                    return false;
                }
            }
            return rest.get(0).equalsIgnoreCase("write");
        }
        return false;
    }

    private static List<String> words(String line) {
        try {
            return CommandLine.words(line);
        } catch (CtlException e) {
            return List.of();
        }
    }
}
