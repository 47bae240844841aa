package io.mpathfs.backends.pr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One blkpr-style PR command line, parsed and validated:
 * {@code -c COMMAND [-k KEY] [-K OLDKEY] [-t TYPE] [-f ignore-key]} (long forms {@code --command
 * --key --oldkey --type --flag}, also {@code --key=VALUE} and {@code -kVALUE}).
 *
 * <p>Key roles follow blkpr and the kernel's {@code pr_ops}: register sends {@code -K} as the
 * RESERVATION KEY (RK) and {@code -k} as the SERVICE ACTION RESERVATION KEY (SARK); reserve,
 * release and clear send {@code -k} as RK; preempt and preempt-abort send {@code -K} — the issuer's
 * own key — as RK and {@code -k} — the key being preempted — as SARK. {@link #reservationKey()} and
 * {@link #serviceActionKey()} give the wire values so nobody has to remember this.
 *
 * <p>{@link #parse} throws only {@link PrSyntaxException}, with a one-line reason, on any input.
 */
public final class PrCommand {
    /** Longest line accepted; anything longer is rejected before it is looked at. */
    public static final int MAX_LINE = 4096;

    /** The commands, by their blkpr names (plus read-full-status and report-capabilities). */
    public enum Verb {
        REGISTER("register"), RESERVE("reserve"), RELEASE("release"), PREEMPT("preempt"),
        PREEMPT_ABORT("preempt-abort"), CLEAR("clear"), READ_KEYS("read-keys"),
        READ_RESERVATION("read-reservation"), READ_FULL_STATUS("read-full-status"),
        REPORT_CAPABILITIES("report-capabilities");

        private final String cliName;

        Verb(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /** PERSISTENT RESERVE OUT (changes state) rather than IN (reads it). */
        public boolean isPrOut() {
            return ordinal() <= CLEAR.ordinal();
        }

        static Optional<Verb> of(String name) {
            for (Verb v : values()) {
                if (v.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }

        static String names() {
            List<String> n = new ArrayList<>();
            for (Verb v : values()) {
                n.add(v.cliName);
            }
            return String.join(", ", n);
        }
    }

    private final Verb verb;
    private final Long key;
    private final Long oldKey;
    private final PrType type;
    private final boolean ignoreKey;

    private PrCommand(Verb verb, Long key, Long oldKey, PrType type, boolean ignoreKey) {
        this.verb = verb;
        this.key = key;
        this.oldKey = oldKey;
        this.type = type;
        this.ignoreKey = ignoreKey;
    }

    public static PrCommand of(Verb verb, Long key, Long oldKey, PrType type, boolean ignoreKey)
            throws PrSyntaxException {
        PrCommand c = new PrCommand(verb, key, oldKey, type, ignoreKey);
        c.validate();
        return c;
    }

    public static PrCommand parse(String line) throws PrSyntaxException {
        if (line == null) {
            throw new PrSyntaxException("empty command");
        }
        if (line.length() > MAX_LINE) {
            throw new PrSyntaxException("command line longer than " + MAX_LINE + " characters");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                throw new PrSyntaxException("control character in command line");
            }
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            throw new PrSyntaxException("empty command");
        }
        return parse(List.of(trimmed.split("\\s+")));
    }

    /** Parses already split arguments (no device name: the command addresses the mount's device). */
    public static PrCommand parse(List<String> args) throws PrSyntaxException {
        Verb verb = null;
        Long key = null, oldKey = null;
        PrType type = null;
        boolean ignoreKey = false;
        boolean flagSeen = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String opt;
            String value = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                opt = eq < 0 ? arg : arg.substring(0, eq);
                value = eq < 0 ? null : arg.substring(eq + 1);
            } else if (arg.startsWith("-") && arg.length() >= 2) {
                opt = arg.substring(0, 2);
                value = arg.length() > 2 ? arg.substring(2) : null;
            } else {
                throw new PrSyntaxException("unexpected argument '" + PrKeys.printable(cut(arg)) + "'");
            }
            char which = switch (opt) {
                case "-c", "--command" -> 'c';
                case "-k", "--key" -> 'k';
                case "-K", "--oldkey" -> 'K';
                case "-t", "--type" -> 't';
                case "-f", "--flag" -> 'f';
                default -> throw new PrSyntaxException("unknown option '" + PrKeys.printable(cut(opt)) + "'");
            };
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new PrSyntaxException("option " + opt + " needs a value");
                }
                value = args.get(++i);
            }
            final String v = value;
            switch (which) {
                case 'c' -> {
                    if (verb != null) {
                        throw new PrSyntaxException("-c given twice");
                    }
                    verb = Verb.of(v).orElseThrow(() -> new PrSyntaxException("unknown command '"
                            + PrKeys.printable(cut(v)) + "' (expected one of: " + Verb.names() + ")"));
                }
                case 'k' -> {
                    if (key != null) {
                        throw new PrSyntaxException("-k given twice");
                    }
                    key = keyValue("-k", value);
                }
                case 'K' -> {
                    if (oldKey != null) {
                        throw new PrSyntaxException("-K given twice");
                    }
                    oldKey = keyValue("-K", value);
                }
                case 't' -> {
                    if (type != null) {
                        throw new PrSyntaxException("-t given twice");
                    }
                    type = PrType.fromBlkprName(v).orElseThrow(() -> new PrSyntaxException("unknown type '"
                            + PrKeys.printable(cut(v)) + "' (expected one of: " + PrType.blkprNames() + ")"));
                }
                default -> {
                    if (flagSeen) {
                        throw new PrSyntaxException("-f given twice");
                    }
                    if (!value.equalsIgnoreCase("ignore-key")) {
                        throw new PrSyntaxException("unknown flag '" + PrKeys.printable(cut(value))
                                + "' (the only flag is ignore-key)");
                    }
                    flagSeen = true;
                    ignoreKey = true;
                }
            }
        }
        if (verb == null) {
            throw new PrSyntaxException("missing -c COMMAND (one of: " + Verb.names() + ")");
        }
        return of(verb, key, oldKey, type, ignoreKey);
    }

    private static long keyValue(String opt, String value) throws PrSyntaxException {
        try {
            return PrKeys.parse(value);
        } catch (PrSyntaxException e) {
            throw new PrSyntaxException(opt + ": " + e.getMessage());
        }
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private void validate() throws PrSyntaxException {
        String name = verb.cliName();
        if (ignoreKey && verb != Verb.REGISTER) {
            throw new PrSyntaxException("-f ignore-key applies to register only");
        }
        switch (verb) {
            case REGISTER -> {
                refuse(type != null, "-t does not apply to register");
                refuse(key == null, "register needs -k NEWKEY (0 unregisters)");
            }
            case RESERVE, RELEASE -> {
                refuse(oldKey != null, "-K does not apply to " + name);
                refuse(key == null || key == 0, name + " needs a non-zero -k KEY (the registered key)");
                refuse(type == null, name + " needs -t TYPE (one of: " + PrType.blkprNames() + ")");
            }
            case PREEMPT, PREEMPT_ABORT -> {
                refuse(oldKey == null || oldKey == 0, name + " needs a non-zero -K OWNKEY (the issuer's key)");
                refuse(key == null, name + " needs -k VICTIMKEY (the key to preempt)");
                refuse(type == null, name + " needs -t TYPE (one of: " + PrType.blkprNames() + ")");
            }
            case CLEAR -> {
                refuse(oldKey != null, "-K does not apply to clear");
                refuse(type != null, "-t does not apply to clear");
                refuse(key == null || key == 0, "clear needs a non-zero -k KEY (the registered key)");
            }
            default -> refuse(key != null || oldKey != null || type != null, name + " takes no -k, -K or -t");
        }
    }

    private static void refuse(boolean condition, String reason) throws PrSyntaxException {
        if (condition) {
            throw new PrSyntaxException(reason);
        }
    }

    public Verb verb() {
        return verb;
    }

    /** {@code -k} as given, or empty. */
    public Optional<Long> key() {
        return Optional.ofNullable(key);
    }

    /** {@code -K} as given, or empty. */
    public Optional<Long> oldKey() {
        return Optional.ofNullable(oldKey);
    }

    public Optional<PrType> type() {
        return Optional.ofNullable(type);
    }

    /** {@code -f ignore-key}: REGISTER AND IGNORE EXISTING KEY. */
    public boolean ignoreKey() {
        return ignoreKey;
    }

    /** The RESERVATION KEY field of the PR OUT parameter list (0 for PR IN commands). */
    public long reservationKey() {
        return switch (verb) {
            case REGISTER, PREEMPT, PREEMPT_ABORT -> oldKey == null ? 0 : oldKey;
            case RESERVE, RELEASE, CLEAR -> key;
            default -> 0;
        };
    }

    /** The SERVICE ACTION RESERVATION KEY field (0 where the service action has none). */
    public long serviceActionKey() {
        return switch (verb) {
            case REGISTER, PREEMPT, PREEMPT_ABORT -> key;
            default -> 0;
        };
    }

    /** The canonical command line, parseable again. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("-c ").append(verb.cliName());
        if (key != null) {
            b.append(" -k ").append(PrKeys.hex(key));
        }
        if (oldKey != null) {
            b.append(" -K ").append(PrKeys.hex(oldKey));
        }
        if (type != null) {
            b.append(" -t ").append(type.blkprName());
        }
        if (ignoreKey) {
            b.append(" -f ignore-key");
        }
        return b.toString();
    }
}
