package io.mpathfs.fuse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fuzzed writes for the ctl files, all drawn from one Random: random bytes, mutations of each
 * file's valid commands, long lines, NULs, invalid UTF-8, merged lines, and commands split in two.
 * The corpus holds state-changing commands on purpose: their mutations are the near misses a
 * parser gets wrong; {@link CtlOracle} keeps the ones still valid from being sent.
 */
final class CtlFuzz {
    static final Map<String, List<String>> CORPUS = Map.of(
            "pr", List.of("-c read-keys", "-c read-reservation", "-c read-full-status", "-c report-capabilities",
                    "-c register -k 0xb", "-c register -K 0xa -k 0xb", "-c register -K 0xa -k 0",
                    "-c register -f ignore-key -k 0xc", "-c reserve -k 0xa -t exclusive-access-reg-only",
                    "-c reserve -k 0xb -t write-exclusive", "-c release -k 0xa -t exclusive-access-reg-only",
                    "-c preempt -K 0xa -k 0xb -t exclusive-access", "-c preempt-abort -K 0xb -k 0xa -t write-exclusive-all-regs",
                    "-c clear -k 0xa", "--command=read-keys", "--command register --key=0xb --oldkey 0xa",
                    "-cregister -k012 -K0xA", "--command reserve --key 10 --type exclusive-access-all-regs",
                    "-c release -k 0xb -t write-exclusive-reg-only", "-c clear -k 0x7"),
            "paths", List.of("fail sim:1", "reinstate sim:2", "remove sim:3", "add sim:4", "add /dev/loop0",
                    "fail sim:9", "reinstate sim:1", "remove sim:0"),
            "policy", List.of("round-robin", "set failover", "queue-length", "service-time", "set service-time"),
            "sim", List.of("path 1 offline", "path 2 online", "path 3 latency 10", "path add", "path list",
                    "host B -c register -k 0xb", "host B2 -c preempt -K 0xb -k 0xa -t exclusive-access-reg-only",
                    "host B -c read-keys", "host C3 -c read-full-status", "host B read 0 8", "host B write 100 1",
                    "host B tur", "host Z2 -c report-capabilities", "power-cycle", "help", "# a comment",
                    "path 0x2 latency 0", "host a1 read 2047 2048", "host D -c clear -k 0xd"),
            "status", List.of("status", "-c read-keys", "show"));

    private static final String[] ODD_WORDS = {"--frob", "-x", "-z", "--key", "-k", "-K", "-t", "-c", "-f", "--",
        "-", "=", "--type=", "--key=0x", "ignore-key", "exclusive", "write-exclusive-all-regs", "sim:", "sim:-1",
        "all", "online", "offline", "latency", "host", "path", "B99", "AA", "?", "#", "\\", "'", "\"", "%s%n",
        "\u00e9", "\u2028", "\u00a0", "\ufeff", "\u0661", "\uff11"};
    private static final String[] ODD_NUMBERS = {"0", "-1", "-0x1", "+1", "0x", "0xg", "0x10000000000000000",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999999", "0xffffffffffffffff",
        "1e9", "1.5", "0b101", "08", "0o7", "0x-1", " 0x1", "2147483648", "-2147483649", "9223372036854775808",
        "\u0661\u0662", "0x\u0661"};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xff}, {(byte) 0xfe}, {(byte) 0xc0, (byte) 0x80},
        {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xc3}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};

    private final Random r;

    CtlFuzz(Random r) {
        this.r = r;
    }

    String pick(List<String> l) {
        return l.get(r.nextInt(l.size()));
    }

    String corpus(String file) {
        return pick(CORPUS.get(file));
    }

    /** Anything: printable-ish, control bytes, high bytes, sometimes newlines. */
    byte[] randomBytes() {
        int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 5000 : 120);
        byte[] b = new byte[n];
        r.nextBytes(b);
        if (r.nextBoolean()) {
            // Mostly ASCII, so the parsers get past their first checks.
            for (int i = 0; i < n; i++) {
                b[i] = r.nextInt(8) == 0 ? b[i] : (byte) (0x20 + r.nextInt(0x5f));
            }
        }
        return b;
    }

    /** A valid command of the file, mutated by one to three edits, newline-terminated as echo writes it. */
    byte[] mutated(String file) {
        byte[] b = utf8(corpus(file));
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            b = mutate(b);
        }
        return r.nextInt(4) == 0 ? b : concat(b, new byte[] {'\n'});
    }

    private byte[] mutate(byte[] b) {
        List<String> w = new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.UTF_8).split(" ", -1)));
        switch (r.nextInt(12)) {
            case 0 -> { // flip a bit
                if (b.length > 0) {
                    b = b.clone();
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> { // insert a byte
                int at = r.nextInt(b.length + 1);
                return concat(Arrays.copyOfRange(b, 0, at), new byte[] {(byte) r.nextInt(256)},
                        Arrays.copyOfRange(b, at, b.length));
            }
            case 2 -> { // delete a byte
                if (b.length < 2) {
                    return b;
                }
                int at = r.nextInt(b.length);
                return concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, at + 1, b.length));
            }
            case 3 -> { // swap two words
                int i = r.nextInt(w.size());
                int j = r.nextInt(w.size());
                String t = w.get(i);
                w.set(i, w.get(j));
                w.set(j, t);
            }
            case 4 -> w.add(r.nextInt(w.size() + 1), ODD_WORDS[r.nextInt(ODD_WORDS.length)]); // unknown option
            case 5 -> w.set(r.nextInt(w.size()), ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)]); // bad number
            case 6 -> w.set(r.nextInt(w.size()), ODD_WORDS[r.nextInt(ODD_WORDS.length)]); // bad key / type / word
            case 7 -> w.remove(r.nextInt(w.size())); // a word missing
            case 8 -> { // a word twice
                int i = r.nextInt(w.size());
                w.add(i, w.get(i));
            }
            case 9 -> { // case and separators
                int i = r.nextInt(w.size());
                w.set(i, r.nextBoolean() ? w.get(i).toUpperCase() : w.get(i) + "\t");
            }
            case 10 -> w.add(r.nextInt(w.size() + 1), ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)]);
            default -> { // truncated
                return Arrays.copyOf(b, r.nextInt(b.length + 1));
            }
        }
        return utf8(String.join(" ", w));
    }

    /**
     * Long lines: just under the 4096-byte line limit (what a reason may echo), just past it, past
     * the 64 KiB write limit, and past max_write (128 KiB: the kernel splits the write).
     */
    byte[] longLine(String file) {
        int[] sizes = {4096, 3900 + r.nextInt(196), 4097, 4096 + 1 + r.nextInt(200), 5000 + r.nextInt(20_000),
            64 * 1024 + 1, 128 * 1024 + 7};
        int size = sizes[r.nextInt(sizes.length)];
        String base = corpus(file);
        StringBuilder b = new StringBuilder(size);
        switch (r.nextInt(4)) {
            case 0 -> { // a valid command with one huge word in it
                b.append(base).append(' ');
                while (b.length() < size) {
                    b.append('A');
                }
            }
            case 1 -> { // the command repeated on one line
                while (b.length() < size) {
                    b.append(base).append(' ');
                }
            }
            case 2 -> { // the last word replaced by a huge one
                b.append(base, 0, base.lastIndexOf(' ') + 1);
                while (b.length() < size) {
                    b.append((char) ('a' + r.nextInt(26)));
                }
            }
            default -> { // a huge number
                b.append(base).append(" -k 0x");
                while (b.length() < size) {
                    b.append('f');
                }
            }
        }
        return utf8(b.append('\n').toString());
    }

    /** A command with NUL bytes in it, at the start, inside or at the end. */
    byte[] withNuls(String file) {
        byte[] b = utf8(corpus(file) + "\n");
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            int at = r.nextInt(b.length + 1);
            b = concat(Arrays.copyOfRange(b, 0, at), new byte[] {0}, Arrays.copyOfRange(b, at, b.length));
        }
        return b;
    }

    /** A command with an invalid UTF-8 sequence (lone continuation, overlong NUL, surrogate, truncated, > U+10FFFF). */
    byte[] invalidUtf8(String file) {
        byte[] b = utf8(corpus(file) + "\n");
        byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
        int at = r.nextInt(b.length);
        return concat(Arrays.copyOfRange(b, 0, at), bad, Arrays.copyOfRange(b, at, b.length));
    }

    private static final String[] TYPES = {"write-exclusive", "exclusive-access", "write-exclusive-reg-only",
        "exclusive-access-reg-only", "write-exclusive-all-regs", "exclusive-access-all-regs"};

    /** A key that is not ours (0xa): a few fixed ones, and any 64-bit value in hex, decimal or octal. */
    private String foreignKey() {
        long k = switch (r.nextInt(4)) {
            case 0 -> 0xb;
            case 1 -> -1L;
            case 2 -> 1 + r.nextInt(64);
            default -> r.nextLong();
        };
        if (k == 0xa || k == 0) {
            k = 0xc;
        }
        return switch (r.nextInt(3)) {
            case 0 -> "0x" + Long.toHexString(k);
            case 1 -> Long.toUnsignedString(k);
            default -> "0" + Long.toOctalString(k);
        };
    }

    /**
     * A valid ctl/pr PR OUT command with keys that are not registered through our nexuses: it passes
     * every parser and reaches the coordinator and the device, which must refuse it (a conflict).
     */
    String conflicting() {
        String t = TYPES[r.nextInt(TYPES.length)];
        return switch (r.nextInt(6)) {
            case 0 -> "-c register -k " + foreignKey();
            case 1 -> "-c register -K " + foreignKey() + " -k " + (r.nextBoolean() ? "0" : foreignKey());
            case 2 -> "-c reserve -k " + foreignKey() + " -t " + t;
            case 3 -> "-c release -k " + foreignKey() + " -t " + t;
            case 4 -> "-c " + (r.nextBoolean() ? "preempt" : "preempt-abort") + " -K " + foreignKey() + " -k "
                    + (r.nextBoolean() ? "0" : foreignKey()) + " -t " + t;
            default -> "-c clear -k " + foreignKey();
        };
    }

    /** Characters that are not what they look like: line and paragraph separators, C1 controls, bidi overrides, BOM, zero width, replacement. */
    private static final String[] ODD_CHARS = {"\u2028", "\u2029", "\u0085", "\u009b", "\u202e", "\u200b", "\ufeff",
        "\ufffd", "\u00a0", "\u3000", "\ud83d\ude00"};

    /** A command with one odd Unicode character at a random place, inside a word or between words. */
    byte[] oddUnicode(String file) {
        String c = corpus(file);
        int at = r.nextInt(c.length() + 1);
        return utf8(c.substring(0, at) + ODD_CHARS[r.nextInt(ODD_CHARS.length)] + c.substring(at) + "\n");
    }

    /** Two to four valid commands in one write, one per line; or one with a blank line before or after it. */
    byte[] merged(String file) {
        if (r.nextInt(4) == 0) {
            String c = corpus(file);
            return utf8(r.nextBoolean() ? "\n" + c + "\n" : c + "\n\n");
        }
        int n = 2 + r.nextInt(3);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(corpus(file)).append('\n');
        }
        return utf8(r.nextBoolean() ? b.toString() : b.substring(0, b.length() - 1));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** For messages: printable ASCII as is, the rest as \xNN, cut at 300 bytes. */
    static String show(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 300); i++) {
            int c = b[i] & 0xff;
            s.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return "'" + s + (b.length > 300 ? "'... (" + b.length + " bytes)" : "'");
    }
}
