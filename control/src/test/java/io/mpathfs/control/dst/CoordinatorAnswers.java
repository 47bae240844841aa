package io.mpathfs.control.dst;

import io.mpathfs.backends.pr.PrCommand;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.control.dst.UserOp.Outcome;
import io.mpathfs.control.pr.PrResult;
import io.mpathfs.nativeshim.Errno;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator's answers to our PR commands in a single device's terms, so that the oracle
 * can compare them with what one device answers.
 */
final class CoordinatorAnswers {
    private CoordinatorAnswers() {
    }

    /** Null for EIO/ENODEV that never got a device's answer (took effect or not). */
    static Outcome observed(PrCommand c, PrResult r) {
        if (r.isOk()) {
            return switch (c.verb()) {
                case READ_KEYS -> Outcome.ok(keysView(r.text()));
                case READ_RESERVATION -> Outcome.ok(reservationView(r.text()));
                default -> Outcome.ok("");
            };
        }
        if (r.errno() == Errno.EBADE) {
            return new Outcome(Outcome.Kind.CONFLICT, "");
        }
        if (r.errno() == Errno.EINVAL) {
            return new Outcome(Outcome.Kind.ILLEGAL_REQUEST, "");
        }
        if (r.deviceAnswer() != null) {
            return new Outcome(Outcome.Kind.OTHER, r.deviceAnswer()); // e.g. LIO's NOT READY for RESERVE
        }
        if (r.errno() == Errno.EIO || r.errno() == Errno.ENODEV) {
            return null;
        }
        return new Outcome(Outcome.Kind.OTHER, "errno " + r.errno() + ": " + r.text());
    }

    /** mpathpersist -i -k output folded to the distinct keys, as {@link UserOp#keysView}. */
    private static String keysView(String text) {
        TreeSet<String> keys = new TreeSet<>();
        text.lines().map(String::strip).filter(l -> l.startsWith("0x")).forEach(l -> keys.add(l.substring(2)));
        return "keys " + keys;
    }

    private static String reservationView(String text) {
        if (text.contains("NO reservation")) {
            return "no reservation";
        }
        Matcher k = Pattern.compile("Key = 0x([0-9a-f]+)").matcher(text);
        Matcher t = Pattern.compile("type = (.+)").matcher(text);
        if (!k.find() || !t.find()) {
            return "unparseable: " + text;
        }
        String type = "?";
        for (PrType p : PrType.values()) {
            if (p.description().equals(t.group(1).strip())) {
                type = p.blkprName();
            }
        }
        return "reservation " + type + " key " + k.group(1);
    }
}
