package io.mpathfs.backends.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioMainTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ScenarioMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listNamesTheBundledScenarios() throws Exception {
        Run r = run("--list");
        assertEquals(0, r.code());
        assertEquals(ScenarioLibrary.bundledNames().size(), r.out().lines().count());
        assertTrue(r.out().contains("preempt-and-abort"), r.out());
        assertTrue(r.out().contains("[preempt-abort]"), r.out());
    }

    @Test
    void simRunsEverythingAndPasses() {
        Run r = run("--sim");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("SCENARIO"), r.out());
        assertTrue(r.out().contains(" 0 failed, 0 skipped"), r.out());
    }

    @Test
    void onlyAndSkipTag() {
        Run r = run("--sim", "--only", "clear-basic", "--only", "aptpl", "--skip-tag", "aptpl");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("clear-basic                              PASS"), r.out());
        assertTrue(r.out().contains("aptpl                                    SKIP   tag aptpl"), r.out());
        assertTrue(r.out().endsWith("1 passed, 0 failed, 1 skipped\n"), r.out());
    }

    @Test
    void aFailingFileMakesTheExitCodeOne() throws Exception {
        Files.writeString(dir.resolve("wrong.scn"), "A1 register sark=0xa\nkeys 0xb\n");
        Files.writeString(dir.resolve("right.scn"), "A1 register sark=0xa\nkeys 0xa\n");
        Run r = run("--sim", dir.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("wrong                                    FAIL   line 2: keys 0xb: READ KEYS gave 0xa"),
                r.out());
        assertTrue(r.out().contains("right                                    PASS"), r.out());
    }

    @Test
    void usageErrors() throws Exception {
        assertEquals(2, run().code());
        assertEquals(2, run("--sim", "--nexus", "A1=/dev/null").code());
        assertEquals(2, run("--nexus", "a1=/dev/sg0").code());
        assertEquals(2, run("--sim", "--only", "no-such-scenario").code());
        assertEquals(2, run("--frobnicate").code());
        Files.writeString(dir.resolve("bad.scn"), "A1 frob\n");
        Run r = run("--sim", dir.resolve("bad.scn").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.scn:1: unknown command 'frob'"), r.err());
        assertEquals(0, run("--help").code());
    }

    @Test
    void lioLuNeedsRealNexuses() {
        Run r = run("--sim", "--lio-lu", "/sys/kernel/config/target/core/rd_mcp_0/lu0");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--lio-lu administers a LIO LU reached with --nexus"), r.err());
    }
}
