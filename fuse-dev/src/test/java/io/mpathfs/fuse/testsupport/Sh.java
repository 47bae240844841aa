package io.mpathfs.fuse.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real client tools (dd, fio, cmp, losetup) for the mount tests. */
public final class Sh {
    public record Result(int rc, String out) {
        public boolean ok() {
            return rc == 0;
        }
    }

    private Sh() {
    }

    public static Result run(long timeoutSec, String... cmd) {
        try {
            Path log = Files.createTempFile("sh", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
                // What it was doing, for the report: its output so far and where each of its
                // threads (and its children's) sits in the kernel.
                String where = whereItWaits(p.toHandle());
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeoutSec + " s: " + String.join(" ", cmd) + "\noutput so far:\n"
                        + Files.readString(log, StandardCharsets.UTF_8) + "\nthreads:\n" + where);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Each thread of a process and its descendants: id, name, kernel wait channel and kernel stack top. */
    private static String whereItWaits(ProcessHandle root) {
        StringBuilder b = new StringBuilder();
        List<ProcessHandle> all = new java.util.ArrayList<>(List.of(root));
        root.descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            Path tasks = Path.of("/proc", Long.toString(h.pid()), "task");
            try (var ts = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) ts::iterator) {
                    String comm = readQuietly(t.resolve("comm")).strip();
                    String wchan = readQuietly(t.resolve("wchan")).strip();
                    List<String> stack = readQuietly(t.resolve("stack")).lines().limit(4).toList();
                    b.append(h.pid()).append('/').append(t.getFileName()).append(' ').append(comm).append(" wchan=")
                            .append(wchan).append(' ').append(String.join(" < ", stack)).append('\n');
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                b.append(h.pid()).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** Runs a shell snippet with bash -c. */
    public static Result bash(long timeoutSec, String script) {
        return run(timeoutSec, "bash", "-c", script);
    }

    public static String ok(long timeoutSec, String... cmd) {
        Result r = run(timeoutSec, cmd);
        if (!r.ok()) {
            fail(String.join(" ", cmd) + " exited " + r.rc() + ":\n" + r.out());
        }
        return r.out();
    }

    /** A tool the tests need; fails (never skips) with the package to install when missing. */
    public static void require(String tool, String debianPackage) {
        if (run(10, "bash", "-c", "command -v " + tool).rc() != 0) {
            fail(tool + " is missing: run 'make test' (it installs " + debianPackage + ") or apt-get install "
                    + debianPackage);
        }
    }

    public static List<String> lines(String s) {
        return s.lines().toList();
    }
}
