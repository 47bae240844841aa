package io.mpathfs.control.ctl;

import java.util.ArrayList;
import java.util.List;

/** Splits a ctl command line into words; bounds its size so garbage cannot cost memory or time. */
public final class CommandLine {
    public static final int MAX_LENGTH = 4096;
    /** The most of a user's word a reason repeats. */
    static final int QUOTE_LENGTH = 40;

    private CommandLine() {
    }

    public static List<String> words(String line) throws CtlException {
        if (line == null) {
            throw CtlException.invalid("empty command");
        }
        String t = line.strip();
        if (t.length() > MAX_LENGTH) {
            throw CtlException.invalid("command longer than " + MAX_LENGTH + " bytes");
        }
        // The whole line, not the stripped one: strip() would drop blank lines around a command
        // and control characters at its ends (form feed, U+001C..U+001F), and run what is left.
        if (line.indexOf('\n') >= 0) {
            throw CtlException.invalid("one command per write");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            // C1 controls (U+0080..U+009F) too: a terminal takes some of them (CSI) as escapes.
            if (c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f) {
                throw CtlException.invalid(String.format("control character 0x%02x in command", (int) c));
            }
        }
        List<String> out = new ArrayList<>();
        for (String w : t.split("[ \t]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        if (out.isEmpty()) {
            throw CtlException.invalid("empty command");
        }
        return out;
    }

    /**
     * A word of the user's as a reason may repeat it: cut to {@value #QUOTE_LENGTH} characters and
     * printable ASCII ('?' for the rest), so that the reason stays one short line whatever was
     * written (a line separator or a 4 KiB word included).
     */
    public static String quote(String word) {
        String t = word.length() > QUOTE_LENGTH ? word.substring(0, QUOTE_LENGTH) : word;
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.append(word.length() > QUOTE_LENGTH ? "...'" : "'").toString();
    }
}
