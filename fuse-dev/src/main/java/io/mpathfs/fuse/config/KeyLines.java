package io.mpathfs.fuse.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a key of the configuration stands in its text, for messages: the TOML library gives a
 * tree without positions, so a key found wrong by our own checks is located here by its table
 * ({@code [defaults]}, the n-th {@code [[device]]}) and its name. Parsing stays the library's;
 * this only reads header and {@code key =} lines, and answers the table's header line (or 0) when
 * the key is written some other way.
 */
final class KeyLines {
    private static final Pattern HEADER = Pattern.compile("^\\s*(\\[\\[?)\\s*([A-Za-z0-9_.\"-]+)\\s*\\]\\]?.*");
    private static final Pattern KEY = Pattern.compile("^\\s*\"?([A-Za-z0-9_-]+)\"?\\s*=.*");

    private final List<String> lines;

    KeyLines(String text) {
        this.lines = text.lines().toList();
    }

    /** Line (from 1) of key in table (index: which [[table]], 0 for a plain [table]); 0 when not found. */
    int of(String table, int index, String key) {
        int header = headerLine(table, index);
        if (header < 0) {
            return 0;
        }
        for (int i = header + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (HEADER.matcher(l).matches()) {
                break;
            }
            Matcher m = KEY.matcher(l);
            if (key != null && m.matches() && m.group(1).equals(key)) {
                return i + 1;
            }
        }
        return header + 1;
    }

    /** Line (from 1) of the header of the table; 0 when not found. */
    int ofTable(String table, int index) {
        return headerLine(table, index) + 1;
    }

    private int headerLine(String table, int index) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADER.matcher(lines.get(i));
            if (m.matches() && m.group(2).replace("\"", "").equals(table)) {
                if (seen++ == index) {
                    return i;
                }
            }
        }
        return -1;
    }
}
