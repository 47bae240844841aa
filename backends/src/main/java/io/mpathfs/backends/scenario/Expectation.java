package io.mpathfs.backends.scenario;

import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.backends.scsi.SenseKey;
import java.util.Locale;
import java.util.Map;

/**
 * What a command must answer: {@code GOOD}, {@code RESERVATION_CONFLICT}, {@code TASK_ABORTED},
 * {@code BUSY}, or {@code CHECK_CONDITION <SENSE_KEY> <asc>/<ascq>} (hex), e.g.
 * {@code CHECK_CONDITION ILLEGAL_REQUEST 26/04}.
 */
public record Expectation(int status, int senseKey, int asc, int ascq) {
    public static final Expectation GOOD = new Expectation(ScsiStatus.GOOD, -1, -1, -1);

    private static final Map<String, Integer> STATUSES = Map.of("GOOD", ScsiStatus.GOOD,
            "RESERVATION_CONFLICT", ScsiStatus.RESERVATION_CONFLICT, "TASK_ABORTED", ScsiStatus.TASK_ABORTED,
            "BUSY", ScsiStatus.BUSY, "TASK_SET_FULL", ScsiStatus.TASK_SET_FULL,
            "CHECK_CONDITION", ScsiStatus.CHECK_CONDITION);
    private static final Map<String, Integer> KEYS = Map.ofEntries(Map.entry("NO_SENSE", SenseKey.NO_SENSE),
            Map.entry("RECOVERED_ERROR", SenseKey.RECOVERED_ERROR), Map.entry("NOT_READY", SenseKey.NOT_READY),
            Map.entry("MEDIUM_ERROR", SenseKey.MEDIUM_ERROR), Map.entry("HARDWARE_ERROR", SenseKey.HARDWARE_ERROR),
            Map.entry("ILLEGAL_REQUEST", SenseKey.ILLEGAL_REQUEST), Map.entry("UNIT_ATTENTION", SenseKey.UNIT_ATTENTION),
            Map.entry("DATA_PROTECT", SenseKey.DATA_PROTECT), Map.entry("ABORTED_COMMAND", SenseKey.ABORTED_COMMAND));

    public static Expectation unitAttention(int asc, int ascq) {
        return new Expectation(ScsiStatus.CHECK_CONDITION, SenseKey.UNIT_ATTENTION, asc, ascq);
    }

    /** Parses the words after {@code expect} (or {@code =>}). */
    public static Expectation parse(String text) throws ScenarioSyntaxException {
        String[] w = text.strip().split("\\s+");
        Integer status = STATUSES.get(w[0].toUpperCase(Locale.ROOT));
        if (status == null) {
            throw new ScenarioSyntaxException("unknown status '" + w[0] + "' (GOOD, RESERVATION_CONFLICT, "
                    + "CHECK_CONDITION KEY AA/QQ, TASK_ABORTED, BUSY, TASK_SET_FULL)");
        }
        if (status != ScsiStatus.CHECK_CONDITION) {
            if (w.length != 1) {
                throw new ScenarioSyntaxException("only CHECK_CONDITION takes a sense key and ASC/ASCQ");
            }
            return new Expectation(status, -1, -1, -1);
        }
        if (w.length != 3) {
            throw new ScenarioSyntaxException("CHECK_CONDITION needs a sense key and ASC/ASCQ, e.g. "
                    + "CHECK_CONDITION ILLEGAL_REQUEST 24/00");
        }
        Integer key = KEYS.get(w[1].toUpperCase(Locale.ROOT));
        if (key == null) {
            throw new ScenarioSyntaxException("unknown sense key '" + w[1] + "'");
        }
        int[] aq = ascAscq(w[2]);
        return new Expectation(status, key, aq[0], aq[1]);
    }

    /** "2a/05" → {0x2a, 0x05}. */
    static int[] ascAscq(String s) throws ScenarioSyntaxException {
        String[] p = s.split("/");
        try {
            if (p.length == 2 && p[0].length() <= 2 && p[1].length() <= 2) {
                return new int[] {Integer.parseInt(p[0], 16), Integer.parseInt(p[1], 16)};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ScenarioSyntaxException("ASC/ASCQ must be two hex bytes like 2a/05: '" + s + "'");
    }

    public boolean matches(ScsiResult r) {
        if (r.hostStatus() != 0 || (r.driverStatus() & 0x07) != 0 || r.status() != status) {
            return false;
        }
        return status != ScsiStatus.CHECK_CONDITION
                || (r.senseKey() == senseKey && r.asc() == asc && r.ascq() == ascq);
    }

    /** Same wording as {@link ScsiResult#describe()}, so differences read naturally. */
    public String describe() {
        if (status != ScsiStatus.CHECK_CONDITION) {
            return ScsiStatus.name(status);
        }
        return ScsiStatus.name(status) + " " + SenseKey.name(senseKey) + String.format(" %02x/%02x", asc, ascq);
    }
}
