package io.mpathfs.backends.scsi;

import java.util.Locale;
import java.util.Optional;

/**
 * The asymmetric access state of a target port group (SPC-4 ALUA): its code in REPORT TARGET PORT
 * GROUPS and SET TARGET PORT GROUPS, its short name in ctl files, and the NOT READY 04/xx by which a
 * port in that state refuses a command.
 */
public enum AluaState {
    ACTIVE_OPTIMIZED(0x0, "ao", -1),
    ACTIVE_NON_OPTIMIZED(0x1, "ano", -1),
    STANDBY(0x2, "standby", 0x0b),
    UNAVAILABLE(0x3, "unavailable", 0x0c),
    TRANSITIONING(0xf, "transitioning", 0x0a);

    /** ASC of the NOT READY by which a port refuses a command in its state. */
    public static final int ASC_NOT_READY = 0x04;

    private final int code;
    private final String shortName;
    private final int notReadyAscq;

    AluaState(int code, String shortName, int notReadyAscq) {
        this.code = code;
        this.shortName = shortName;
        this.notReadyAscq = notReadyAscq;
    }

    public int code() {
        return code;
    }

    /** "ao", "ano", "standby", "unavailable", "transitioning". */
    public String shortName() {
        return shortName;
    }

    /** ASCQ of the NOT READY 04/xx this state answers refused commands with (04/0B standby ...). */
    public int notReadyAscq() {
        return notReadyAscq;
    }

    /** Active/optimized or active/non-optimized: every command, data included, is served. */
    public boolean active() {
        return this == ACTIVE_OPTIMIZED || this == ACTIVE_NON_OPTIMIZED;
    }

    /** The nexus takes PERSISTENT RESERVE IN/OUT (active or standby; not unavailable or transitioning). */
    public boolean takesPersistentReserve() {
        return active() || this == STANDBY;
    }

    public static Optional<AluaState> fromCode(int code) {
        for (AluaState s : values()) {
            if (s.code == (code & 0x0f)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static Optional<AluaState> fromShortName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (AluaState s : values()) {
            if (s.shortName.equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The state a NOT READY answer names (04/0A, 04/0B, 04/0C), or empty for any other answer. */
    public static Optional<AluaState> refusedBy(ScsiResult r) {
        if (r == null || !r.isCheckCondition() || r.senseKey() != SenseKey.NOT_READY || r.asc() != ASC_NOT_READY) {
            return Optional.empty();
        }
        for (AluaState s : values()) {
            if (s.notReadyAscq == r.ascq()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
