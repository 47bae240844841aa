package io.mpathfs.control;

import java.util.Locale;

/**
 * How the device deals with target port groups (ALUA): {@code implicit} (the default) follows the
 * array's own transitions; {@code explicit} also asks the array, with SET TARGET PORT GROUPS, to
 * make a group active when no usable path is left in an active one.
 */
public enum AluaMode {
    IMPLICIT, EXPLICIT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AluaMode parse(String s) {
        for (AluaMode m : values()) {
            if (m.label().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--alua is implicit or explicit: '" + s + "'");
    }
}
