package io.mpathfs.fuse.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses ctl/paths lines: "DEV STATE registered=R io=N errors=N inflight=N [group=G alua=STATE]". */
public final class CtlPaths {
    /** group is -1 and alua "" for a LU without target port groups. */
    public record Row(String device, String state, String registered, long io, long errors, long inflight, int group,
                      String alua) {
    }

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+) (\\S+) registered=(\\S+) io=(\\d+) errors=(\\d+) inflight=(\\d+)(?: group=(\\d+) alua=(\\S+))?$");

    private CtlPaths() {
    }

    public static Map<String, Row> read(Path mountPoint) throws Exception {
        Map<String, Row> rows = new HashMap<>();
        for (String l : Mounts.read(mountPoint.resolve("ctl/paths")).split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                throw new AssertionError("ctl/paths line not in the documented format: '" + l + "'");
            }
            rows.put(m.group(1), new Row(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                    m.group(7) == null ? -1 : Integer.parseInt(m.group(7)), m.group(8) == null ? "" : m.group(8)));
        }
        return rows;
    }

    /**
     * The row of a failed path once the IO that was in flight on it when it failed has completed:
     * from then on its counters only change if new IO reaches it, which must not happen.
     */
    public static Row settled(Path mountPoint, String device) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Row r = read(mountPoint).get(device);
            if (r.inflight() == 0) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("IO in flight on " + device + " did not complete: " + r);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits until a path's row satisfies a condition (a state the device reaches by itself, such
     * as failed or reinstated by the checker); the two-minute bound only catches a hang.
     */
    public static Row await(Path mountPoint, String device, String what, java.util.function.Predicate<Row> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Row r = read(mountPoint).get(device);
            if (r != null && condition.test(r)) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(device + " not " + what + " within 120 s: " + r);
            }
            Thread.sleep(20);
        }
    }

    public static void write(Path mountPoint, String file, String command) throws Exception {
        Files.writeString(mountPoint.resolve("ctl/" + file), command + "\n");
    }
}
