package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.fuse.testsupport.Ctl;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daemon as an operator meets it: restarts while a reservation is held (clean and killed),
 * fsync under WE/EA, the in-memory demo written in full on a small heap, and start-ups refused with
 * a clear message instead of hanging, dying later or serving on something it cannot trust.
 */
class DaemonHardeningIT {

    private static String status(Path mnt) throws Exception {
        return Mounts.read(mnt.resolve("ctl/status"));
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + " line)");
    }

    private static void pr(Path mnt, String cmd) throws Exception {
        Ctl.Answer a = Ctl.tx(mnt.resolve("ctl/pr"), cmd);
        assertTrue(a.ok(), cmd + ": " + a);
    }

    /** The target's holder nexus (A1 …) as ctl/sim shows it, mapped to our path name sim:N. */
    private static String targetHolderPath(Path mnt) throws Exception {
        String sim = Mounts.read(mnt.resolve("ctl/sim"));
        String res = line(sim, "Reservation:");
        int at = res.indexOf("holder A");
        assertTrue(at >= 0, "the target reports a holder of ours: " + sim);
        String nexus = res.substring(at + "holder ".length()).split("\\s+")[0];
        return "sim:" + nexus.substring(1);
    }

    private static String[] demo(Path dir, Path mnt, String... extra) {
        List<String> a = new ArrayList<>(List.of("demo", "--paths", "3", "--size", "64M",
                "--backing-file", dir.resolve("lu.img").toString(), "--keys-file", dir.resolve("prkeys").toString()));
        a.addAll(List.of(extra));
        a.add(mnt.toString());
        return a.toArray(new String[0]);
    }

    /** A daemon on a fresh backing file registers key and reserves type, then stops cleanly (SIGTERM). */
    private static Path reservedAndStopped(Path dir, String key, String type) throws Exception {
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, demo(dir, mnt))) {
            pr(mnt, "-c register -k " + key);
            pr(mnt, "-c reserve -k " + key + " -t " + type);
        }
        Mounts.assertUnmounted(mnt);
        return mnt;
    }

    @Test
    void restartWhileHoldingExclusiveAccessServesAgainCleanAndAfterSigkill() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-restart");
        Path mnt = reservedAndStopped(dir, "0xa", "exclusive-access");
        // Clean restart: READ CAPACITY through the non-holder nexuses conflicts under EA.
        try (Mounts.Daemon d = Mounts.daemon(mnt, demo(dir, mnt))) {
            String st = status(mnt);
            assertEquals("key 0xa", line(st, "key "), st);
            assertEquals("reservation exclusive-access", line(st, "reservation "), st);
            assertEquals("holder " + targetHolderPath(mnt), line(st, "holder "), st);
            Sh.ok(60, "dd", "if=/dev/urandom", "of=" + mnt.resolve("disk"), "bs=64k", "count=16", "oflag=direct",
                    "conv=notrunc,fsync");
            Sh.ok(60, "dd", "if=" + mnt.resolve("disk"), "of=/dev/null", "bs=64k", "count=16", "iflag=direct");
            d.signal("KILL");
            assertTrue(d.awaitExit(10));
        }
        // After SIGKILL: a stale mount to clear, and the same reservation to serve under.
        try (Mounts.Daemon d = Mounts.daemon(mnt, demo(dir, mnt))) {
            String st = status(mnt);
            assertEquals("reservation exclusive-access", line(st, "reservation "), st);
            assertEquals("holder " + targetHolderPath(mnt), line(st, "holder "), st);
            Sh.ok(60, "dd", "if=" + mnt.resolve("disk"), "of=/dev/null", "bs=64k", "count=16", "iflag=direct");
        }
        Mounts.assertUnmounted(mnt);
    }

    @Test
    void holderOfARegistrantsOnlyReservationIsKnownAfterRestart() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-restart-ro");
        Path mnt = reservedAndStopped(dir, "0xb", "exclusive-access-reg-only");
        try (Mounts.Daemon d = Mounts.daemon(mnt, demo(dir, mnt))) {
            String st = status(mnt);
            assertEquals("reservation exclusive-access-reg-only", line(st, "reservation "), st);
            assertEquals("holder " + targetHolderPath(mnt), line(st, "holder "), st);
        }
    }

    @Test
    void fsyncSucceedsWhileWeHoldWriteExclusiveOrExclusiveAccess() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-fsync");
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, demo(dir, mnt, "--policy", "round-robin"))) {
            pr(mnt, "-c register -k 0xc");
            for (String type : new String[] {"write-exclusive", "exclusive-access"}) {
                pr(mnt, "-c reserve -k 0xc -t " + type);
                for (int i = 0; i < 6; i++) { // round-robin: every path would be asked in turn
                    Sh.Result r = Sh.run(60, "dd", "if=/dev/zero", "of=" + mnt.resolve("disk"), "bs=4k", "count=4",
                            "seek=" + i, "oflag=direct", "conv=notrunc,fsync");
                    assertTrue(r.ok(), type + ": write + fsync " + i + " failed:\n" + r.out());
                }
                pr(mnt, "-c release -k 0xc -t " + type);
            }
        }
    }

    @Test
    void theDefaultInMemoryDemoTakesAFullWriteOnASmallHeap() throws Exception {
        Path mnt = Files.createTempDirectory("mpathfs-mem").resolve("m");
        // The launcher's heap is 256 MiB in the tests: the LU's 1 GiB must live outside it.
        try (Mounts.Daemon d = Mounts.daemon(mnt, "demo", "--paths", "2", "--keys-file",
                mnt.resolveSibling("prkeys").toString(), mnt.toString())) {
            assertEquals(1L << 30, Files.size(mnt.resolve("disk")));
            Sh.ok(600, "dd", "if=/dev/zero", "of=" + mnt.resolve("disk"), "bs=1M", "count=1024", "oflag=direct",
                    "conv=notrunc,fsync");
            assertTrue(d.process.isAlive(), "daemon alive after writing the whole LU:\n" + d.log());
            assertFalse(d.log().contains("OutOfMemoryError"), d.log());
            Sh.ok(60, "dd", "if=" + mnt.resolve("disk"), "of=/dev/null", "bs=1M", "count=16", "skip=1000",
                    "iflag=direct");
        }
    }

    private static Sh.Result startFails(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Mounts.launcher().toString());
        cmd.addAll(List.of(args));
        return Sh.run(120, cmd.toArray(new String[0]));
    }

    @Test
    void anLuLargerThanMemoryOrItsFileIsRefusedAtStart() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-size");
        Sh.Result mem = startFails("demo", "--size", "8191T", "--keys-file", dir.resolve("k").toString(),
                dir.resolve("m").toString());
        assertNotEquals(0, mem.rc(), mem.out());
        assertTrue(mem.out().contains("cannot be held"), mem.out());
        Sh.Result file = startFails("demo", "--size", "8191T", "--backing-file", dir.resolve("lu.img").toString(),
                "--keys-file", dir.resolve("k").toString(), dir.resolve("m").toString());
        assertNotEquals(0, file.rc(), file.out());
        assertTrue(file.out().contains("cannot hold"), file.out());
        assertEquals(null, MountTable.fuseSourceAt(dir.resolve("m")));
    }

    @Test
    void aKeysFileThatCannotBeTrustedStopsTheStart() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-keys");
        Path keys = dir.resolve("prkeys");
        Files.writeString(keys, "naa.600140500000000000000000000000aa 0xa\nthis is not a key line\n");
        Sh.Result r = startFails("demo", "--size", "16M", "--keys-file", keys.toString(), dir.resolve("m").toString());
        assertNotEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("line 2"), r.out());
        assertEquals(null, MountTable.fuseSourceAt(dir.resolve("m")), "nothing mounted");
        Files.delete(keys);
        Files.createSymbolicLink(keys, dir.resolve("elsewhere"));
        r = startFails("demo", "--size", "16M", "--keys-file", keys.toString(), dir.resolve("m").toString());
        assertNotEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("symbolic link"), r.out());
    }

    @Test
    void aMountPointThatIsAFileIsNamedAsSuch() throws Exception {
        Path f = Files.createTempFile("mpathfs-notadir", "");
        Sh.Result r = startFails("demo", "--size", "16M", "--keys-file", f.resolveSibling(f.getFileName() + ".k")
                .toString(), f.toString());
        assertNotEquals(0, r.rc(), r.out());
        assertTrue(r.out().contains("is not a directory"), r.out());
    }

    @Test
    void aSecondDaemonOverAStoppedDaemonsMountSaysSoInsteadOfHanging() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-stopped");
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "demo", "--paths", "1", "--size", "16M", "--keys-file",
                dir.resolve("k1").toString(), mnt.toString())) {
            d.signal("STOP");
            try {
                Sh.Result r = startFails("demo", "--paths", "1", "--size", "16M", "--keys-file",
                        dir.resolve("k2").toString(), mnt.toString());
                assertNotEquals(0, r.rc(), r.out());
                assertTrue(r.out().contains("does not answer"), r.out());
            } finally {
                d.signal("CONT");
            }
            assertTrue(d.process.isAlive());
        }
    }

    @Test
    void everySubcommandAnswersHelp() throws Exception {
        for (String sub : new String[] {"mount", "umount", "demo", "pr"}) {
            Sh.Result r = startFails(sub, "--help");
            assertEquals(0, r.rc(), sub + " --help: " + r.out());
            assertTrue(r.out().contains("Usage: mpathfs " + sub), r.out());
        }
    }

    @Test
    void ctlPrRunsOneCommandPerWrite() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-oneline");
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, demo(dir, mnt))) {
            pr(mnt, "-c register -k 0xa");
            Ctl.Answer a = Ctl.txBytes(mnt.resolve("ctl/pr"), "-c register -k 0xb\n-K 0xa\n".getBytes());
            assertEquals(22, a.errno(), a.toString());
            assertTrue(a.text().contains("one command per write"), a.text());
            assertEquals("key 0xa", line(status(mnt), "key "));
        }
    }

    @Test
    void registerIsRefusedWhenTheKeyCannotBeKeptAndTheLuIsLeftAlone() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-rokeys");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Sh.ok(30, "mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro.toString());
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "demo", "--paths", "2", "--size", "16M", "--keys-file",
                ro.resolve("prkeys").toString(), mnt.toString())) {
            Ctl.Answer a = Ctl.tx(mnt.resolve("ctl/pr"), "-c register -k 0xa");
            assertEquals(5, a.errno(), a.toString());
            assertTrue(a.text().contains("could not be kept") && a.text().contains("prkeys"), a.text());
            String sim = Mounts.read(mnt.resolve("ctl/sim"));
            assertFalse(sim.contains("key 0xa"), "no registration reached the LU:\n" + sim);
            assertEquals("key none", line(status(mnt), "key "));
        } finally {
            Sh.run(30, "umount", ro.toString());
        }
        // Garbage written into the keys file while serving: the next key change is refused too.
        Path keys = dir.resolve("prkeys");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "demo", "--paths", "2", "--size", "16M", "--keys-file",
                keys.toString(), mnt.toString())) {
            Files.writeString(keys, "garbage\n");
            Ctl.Answer a = Ctl.tx(mnt.resolve("ctl/pr"), "-c register -k 0xa");
            assertEquals(5, a.errno(), a.toString());
            assertTrue(a.text().contains("line 1"), a.text());
            assertEquals("key none", line(status(mnt), "key "));
        }
    }
}
