package io.mpathfs.control.ctl;

import java.util.ArrayList;
import java.util.List;

/** Splits a ctl command line into words; bounds its size so garbage cannot cost memory or time. */
public final class CommandLine {
    public static final int MAX_LENGTH = 4096;

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
        if (t.indexOf('\n') >= 0) {
            throw CtlException.invalid("one command per write");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
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
}
