package io.mpathfs.fuse;

import io.mpathfs.fuse.testsupport.CtlPaths;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;


/**
 * Fuzzes every control file's command language through the kernel, on a bin/mpathfs daemon serving
 * the embedded target with 3 paths, our key 0xa registered and an exclusive-access-reg-only
 * reservation held (so that there is something to lose): random bytes, mutations of valid
 * commands, long lines, NULs, invalid UTF-8, odd Unicode characters, merged lines, commands
 * split over two writes, valid PR OUT commands with foreign keys (refused by the device), and
 * concurrent writers on their own open files. After every write: the daemon lives, a refused
 * write failed with an errno and the same open file answers one line "error: REASON", an accepted
 * one answers no error, and the PR state (ours and the target's), the paths and the policy are as
 * before. Writes that would be valid state-changing commands are not sent ({@link CtlOracle}).
 *
 * <p>Seeds: a fixed list, or one to replay with {@code -DfuzzSeed=N}; {@code -DfuzzSteps=N} for
 * more steps per seed.
 */
class ControlFuzzIT {
    private static final long[] SEEDS = {1, 2, 3};
    private static final int STEPS = Integer.getInteger("fuzzSteps", 400);
    private static final long OUR_KEY = 0xa;
    private static final String[] FILES = {"pr", "pr", "pr", "sim", "sim", "sim", "paths", "paths", "policy", "status"};
    /** The errnos each file's refusals may carry (README: EINVAL bad command, ENODEV no such path, EBUSY last path, EBADE conflict). */
    private static final Map<String, Set<Integer>> ERRNOS = Map.of(
            "pr", Set.of(Errno.EINVAL, Errno.EBADE),
            "paths", Set.of(Errno.EINVAL, Errno.ENODEV, Errno.EEXIST),
            "policy", Set.of(Errno.EINVAL),
            "sim", Set.of(Errno.EINVAL),
            "status", Set.of(Errno.EINVAL));

    static Stream<Long> seeds() {
        String replay = System.getProperty("fuzzSeed");
        return replay != null ? Stream.of(Long.parseLong(replay)) : LongStream.of(SEEDS).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRefusedCommandAnswersAnErrnoAndAReasonAndChangesNothing(long seed) throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-fuzz");
        Path mnt = dir.resolve("mpath0");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "demo", "--paths", "3", "--size", "16M", "--keys-file",
                dir.resolve("prkeys").toString(), mnt.toString())) {
            Run run = new Run(seed, d, mnt, dir.resolve("prkeys"));
            try {
                // A hang is a failure too; the daemon is killed on close, which ends a blocked write.
                assertTimeoutPreemptively(Duration.ofSeconds(150), run::fuzz,
                        () -> "hung at " + run.current);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("seed " + seed + " (replay: -DfuzzSeed=" + seed + "): " + e.getMessage()
                        + "\n--- daemon log (tail) ---\n" + tail(d.log()), e);
            }
            assertFalse(d.log().contains("SEVERE"), "a command reached an internal error:\n" + tail(d.log()));
            System.out.printf("ControlFuzzIT seed %d: %s%nrefusals: %s%naccepted (state unchanged): %s%n", seed,
                    run.counts, run.errnos, String.join(", ", run.accepted));
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    /** The state no fuzzed write may change: ours (with the keys file), the paths', the policy, and the target's own view. */
    record State(String status, String paths, String policy, String target, String keysFile) {
        static State read(Path mnt, Path keysFile) throws Exception {
            StringBuilder paths = new StringBuilder();
            for (CtlPaths.Row r : new TreeMap<>(CtlPaths.read(mnt)).values()) {
                // io and the other counters move with the checker's probes: not state.
                paths.append(r.device()).append(' ').append(r.state()).append(" registered=").append(r.registered())
                        .append('\n');
            }
            return new State(Mounts.read(mnt.resolve("ctl/status")), paths.toString(),
                    Mounts.read(mnt.resolve("ctl/policy")), Mounts.read(mnt.resolve("ctl/sim")),
                    Files.readString(keysFile, StandardCharsets.UTF_8));
        }
    }

    static final class Run {
        final long seed;
        final Mounts.Daemon daemon;
        final Path mnt;
        final Path keysFile;
        final Random random;
        final CtlFuzz fuzz;
        final Map<String, Integer> counts = new TreeMap<>();
        /** Refusals by file and errno, to show which refusals the run reached. */
        final Map<String, Integer> errnos = new TreeMap<>();
        /** The first fuzzed writes the daemon accepted, to show what got through (each left the state as it was). */
        final List<String> accepted = new ArrayList<>();
        volatile String current = "(setting up)";
        State initial;
        CtlOracle oracle;

        Run(long seed, Mounts.Daemon daemon, Path mnt, Path keysFile) {
            this.seed = seed;
            this.daemon = daemon;
            this.mnt = mnt;
            this.keysFile = keysFile;
            this.random = new Random(seed);
            this.fuzz = new CtlFuzz(random);
        }

        void fuzz() throws Exception {
            setUp();
            for (int step = 0; step < STEPS; step++) {
                String file = FILES[random.nextInt(FILES.length)];
                int kind = random.nextInt(23);
                if (step % 50 == 49) {
                    concurrent(step);
                } else if (kind < 4) {
                    single("random", file, fuzz.randomBytes());
                } else if (kind < 12) {
                    single("mutated", file, fuzz.mutated(file));
                } else if (kind < 13) {
                    single("long", file, fuzz.longLine(file));
                } else if (kind < 15) {
                    single("nul", file, fuzz.withNuls(file));
                } else if (kind < 17) {
                    single("utf8", file, fuzz.invalidUtf8(file));
                } else if (kind < 19) {
                    merged(file);
                } else if (kind < 20) {
                    split(file);
                } else if (kind < 21) {
                    single("unicode", file, fuzz.oddUnicode(file));
                } else {
                    conflicting();
                }
            }
            assertEquals(initial, State.read(mnt, keysFile), "state after the whole run");
        }

        /** Our key registered on every path and an exclusive-access-reg-only reservation; every other host's nexus made. */
        private void setUp() throws Exception {
            tx("pr", "-c register -k 0xa");
            tx("pr", "-c reserve -k 0xa -t exclusive-access-reg-only");
            // Naming a host in ctl/sim makes its nexus (with a power-on unit attention, which TUR
            // takes): made here, so that a fuzzed read from any host changes nothing on the target.
            for (char h = 'A'; h <= 'Z'; h++) {
                for (int port = 1; port <= 3; port++) {
                    tx("sim", "host " + h + port + " tur");
                }
            }
            initial = State.read(mnt, keysFile);
            assertTrue(initial.status().contains("key 0xa\n") && initial.status().contains("reservation exclusive-access-reg-only\n")
                    && initial.status().contains("pr-state registered\n"), initial.status());
            assertEquals(3, initial.target().lines().filter(l -> l.matches("\\s+A\\d .*key 0xa .*")).count(), initial.target());
            assertFalse(initial.target().contains("Pending unit attentions"), initial.target());
            assertTrue(initial.keysFile().contains("0xa"), "the keys file remembers our key: " + initial.keysFile());
            Set<String> paths = new LinkedHashSet<>(CtlPaths.read(mnt).keySet());
            assertEquals(Set.of("sim:1", "sim:2", "sim:3"), paths);
            oracle = new CtlOracle(OUR_KEY, paths, initial.policy().strip());
        }

        private void tx(String file, String line) throws Exception {
            try (CtlSession s = new CtlSession(ctl(file))) {
                CtlSession.Write w = s.write(CtlFuzz.utf8(line + "\n"));
                assertEquals(0, w.errno(), line + ": " + new String(s.answer(), StandardCharsets.UTF_8));
            }
        }

        private Path ctl(String file) {
            return mnt.resolve("ctl/" + file);
        }

        private void count(String what) {
            counts.merge(what, 1, Integer::sum);
        }

        /** One write on a fresh open file; skipped when it would be a valid state-changing command. */
        private void single(String kind, String file, byte[] raw) throws Exception {
            if (raw.length == 0 || oracle.mayChangeState(file, raw)) {
                count(kind + ".skipped");
                return;
            }
            current = "ctl/" + file + " " + kind + " " + CtlFuzz.show(raw);
            try (CtlSession s = new CtlSession(ctl(file))) {
                CtlSession.Write w = s.write(raw);
                check(file, raw, w, s.answer(), current);
                count(kind + (w.errno() == 0 ? ".accepted" : ".refused"));
                if (w.errno() == 0 && accepted.size() < 30) {
                    accepted.add("ctl/" + file + " " + CtlFuzz.show(raw));
                }
            }
            checkState();
        }

        /** A valid PR OUT command with a foreign key: the device refuses it, and nothing changes. */
        private void conflicting() throws Exception {
            byte[] raw = CtlFuzz.utf8(fuzz.conflicting() + "\n");
            if (oracle.mayChangeState("pr", raw)) {
                count("conflict.skipped");
                return;
            }
            current = "ctl/pr conflict " + CtlFuzz.show(raw);
            try (CtlSession s = new CtlSession(ctl("pr"))) {
                CtlSession.Write w = s.write(raw);
                check("pr", raw, w, s.answer(), current);
                assertTrue(w.errno() != 0, current + ": a key not registered through our nexuses, yet accepted");
                count("conflict.refused");
            }
            checkState();
        }

        /** Several valid commands in one write: refused whole, as "one command per write". */
        private void merged(String file) throws Exception {
            byte[] raw = fuzz.merged(file);
            current = "ctl/" + file + " merged " + CtlFuzz.show(raw);
            try (CtlSession s = new CtlSession(ctl(file))) {
                CtlSession.Write w = s.write(raw);
                byte[] answer = s.answer();
                check(file, raw, w, answer, current);
                assertEquals(Errno.EINVAL, w.errno(), current);
                if (!file.equals("status")) {
                    assertTrue(new String(answer, StandardCharsets.UTF_8).contains("one command per write"),
                            current + ": " + CtlFuzz.show(answer));
                }
                count("merged.refused");
            }
            checkState();
        }

        /**
         * A valid command in two writes on one open file: each write is a command of its own (a
         * transaction file keeps no partial line), so each half is judged alone, and the two never
         * add up to the command. Only split points where neither half is a state-changing command.
         */
        private void split(String file) throws Exception {
            byte[] raw = CtlFuzz.utf8(fuzz.corpus(file) + "\n");
            for (int attempt = 0; attempt < 5; attempt++) {
                int at = 1 + random.nextInt(raw.length - 1);
                byte[] a = java.util.Arrays.copyOfRange(raw, 0, at);
                byte[] b = java.util.Arrays.copyOfRange(raw, at, raw.length);
                if (oracle.mayChangeState(file, a) || oracle.mayChangeState(file, b)) {
                    continue;
                }
                try (CtlSession s = new CtlSession(ctl(file))) {
                    current = "ctl/" + file + " split, first write " + CtlFuzz.show(a);
                    check(file, a, s.write(a), s.answer(), current);
                    checkState();
                    current = "ctl/" + file + " split, second write " + CtlFuzz.show(b) + " (first " + CtlFuzz.show(a) + ")";
                    check(file, b, s.write(b), s.answer(), current);
                }
                checkState();
                count("split.sent");
                return;
            }
            count("split.skipped");
        }

        /**
         * Four writers at once, each on its own open files, each sending fuzzed writes and valid
         * read-only commands whose answers are recognisable: every answer must be the one to the
         * command written on that open file.
         */
        private void concurrent(int step) throws Exception {
            int writers = 4;
            List<List<Object[]>> plans = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                List<Object[]> plan = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    String file = FILES[random.nextInt(FILES.length)];
                    byte[] raw;
                    String expect = null;
                    if (file.equals("pr") && random.nextInt(3) == 0) {
                        // PR OUT commands that reach the coordinator at once from several writers.
                        raw = CtlFuzz.utf8(fuzz.conflicting() + "\n");
                        expect = "error: ";
                        if (oracle.mayChangeState(file, raw)) {
                            continue;
                        }
                    } else if (random.nextBoolean()) {
                        String[] known = KNOWN.get(file);
                        int k = random.nextInt(known.length / 2);
                        raw = CtlFuzz.utf8(known[2 * k] + "\n");
                        expect = known[2 * k + 1];
                    } else {
                        raw = switch (random.nextInt(5)) {
                            case 4 -> fuzz.oddUnicode(file);
                            case 0 -> fuzz.randomBytes();
                            case 1 -> fuzz.withNuls(file);
                            case 2 -> fuzz.invalidUtf8(file);
                            default -> fuzz.mutated(file);
                        };
                        if (raw.length == 0 || oracle.mayChangeState(file, raw)) {
                            continue;
                        }
                    }
                    plan.add(new Object[] {file, raw, expect});
                }
                plans.add(plan);
            }
            current = "concurrent writers at step " + step;
            ExecutorService ex = Executors.newFixedThreadPool(writers);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (List<Object[]> plan : plans) {
                    done.add(ex.submit(() -> runPlan(plan)));
                }
                for (Future<Integer> f : done) {
                    try {
                        count("concurrent.sent", f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
                    }
                }
            } finally {
                ex.shutdownNow();
            }
            checkState();
        }

        private void count(String what, int n) {
            counts.merge(what, n, Integer::sum);
        }

        /** One writer: one open file per ctl file, kept open for all its writes. */
        private int runPlan(List<Object[]> plan) throws Exception {
            Map<String, CtlSession> open = new HashMap<>();
            try {
                for (Object[] p : plan) {
                    String file = (String) p[0];
                    byte[] raw = (byte[]) p[1];
                    String expect = (String) p[2];
                    CtlSession s = open.get(file);
                    if (s == null) {
                        s = new CtlSession(ctl(file));
                        open.put(file, s);
                    }
                    String what = "concurrent ctl/" + file + " " + CtlFuzz.show(raw);
                    CtlSession.Write w = s.write(raw);
                    byte[] answer = s.answer();
                    check(file, raw, w, answer, what);
                    if (expect != null) {
                        String text = new String(answer, StandardCharsets.UTF_8);
                        assertTrue(text.contains(expect), what + ": its own answer, with '" + expect + "': " + text);
                    }
                }
                return plan.size();
            } finally {
                for (CtlSession s : open.values()) {
                    s.close();
                }
            }
        }

        /** Valid read-only commands per file, each with a piece of its answer that no other command's answer has. */
        private static final Map<String, String[]> KNOWN = Map.of(
                "pr", new String[] {"-c read-keys", "registered reservation keys follow", "-c read-reservation",
                    "Key = 0xa", "-c report-capabilities", "Compatible Reservation Handling"},
                "sim", new String[] {"path list", "sim:2 A2 online", "host B -c read-keys", "B1: GOOD",
                    "host C2 read 0 1", "C2: RESERVATION CONFLICT"},
                "paths", new String[] {"reinstate sim:1", "ok", "fail sim:7", "error: no path 'sim:7'"},
                "policy", new String[] {"frob", "error: unknown policy 'frob'"},
                "status", new String[] {"read", "error: ctl/status is read-only"});

        /** The daemon lives, and the answer is coherent with the write's outcome. */
        private void check(String file, byte[] raw, CtlSession.Write w, byte[] answer, String what) {
            assertTrue(daemon.process.isAlive(), what + ": the daemon died");
            String text = new String(answer, StandardCharsets.UTF_8);
            if (raw.length <= CtlOracle.MAX_COMMAND && !CtlOracle.utf8(raw)) {
                assertEquals(Errno.EINVAL, w.errno(), what + ": not UTF-8, yet answered " + text);
                assertEquals("error: command is not valid UTF-8\n", text, what);
            }
            if (w.errno() == 0) {
                assertEquals(raw.length, w.count(), what + ": an accepted write takes every byte");
                assertFalse(text.startsWith("error"), what + ": accepted, yet answered " + text);
                return;
            }
            assertTrue(ERRNOS.get(file).contains(w.errno()), what + ": errno " + w.errno() + " (" + text.strip() + ")");
            synchronized (errnos) {
                errnos.merge(file + " " + Errno.name(w.errno()), 1, Integer::sum);
            }
            assertTrue(text.startsWith("error: ") && text.endsWith("\n"), what + ": answer " + CtlFuzz.show(answer));
            String reason = text.substring("error: ".length(), text.length() - 1);
            assertFalse(reason.isBlank(), what + ": no reason");
            for (int i = 0; i < reason.length(); i++) {
                char c = reason.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                    fail(what + ": the reason is not one printable line: " + CtlFuzz.show(answer));
                }
            }
            assertTrue(reason.length() <= 512, what + ": a reason of " + reason.length() + " characters");
        }

        private void checkState() throws Exception {
            assertTrue(daemon.process.isAlive(), current + ": the daemon died");
            assertEquals(initial, State.read(mnt, keysFile), current + ": state changed");
        }
    }
}
