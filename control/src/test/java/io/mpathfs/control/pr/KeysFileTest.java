package io.mpathfs.control.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The keys file is trusted or refused, never half-read, and replaced atomically. */
class KeysFileTest {
    private static final String LU = "naa.60014050000000000000000000000001";

    @Test
    void storesReadsBackAndIsOwnerOnly() throws Exception {
        Path f = Files.createTempDirectory("keys").resolve("prkeys");
        KeysFile k = new KeysFile(f);
        k.store(LU, 0xabc, true);
        assertEquals(new KeysFile.Entry(0xabc, true), new KeysFile(f).load(LU));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        k.store(LU, 0, false);
        assertEquals(0, k.load(LU).key());
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList(), "no temp file left behind");
        }
    }

    private static KeysFile.KeysFileException refused(Path f) {
        return assertThrows(KeysFile.KeysFileException.class, () -> new KeysFile(f).verify());
    }

    @Test
    void aSymlinkADirectoryOrAWorldWritableFileIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        Path real = dir.resolve("real");
        Files.writeString(real, LU + " 0xa\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertTrue(refused(link).getMessage().contains("symbolic link"));
        assertThrows(KeysFile.KeysFileException.class, () -> new KeysFile(link).store(LU, 0xb, false));
        assertEquals(LU + " 0xa\n", Files.readString(real), "the link's target untouched");

        Path d = Files.createDirectory(dir.resolve("adir"));
        assertTrue(refused(d).getMessage().contains("is a directory"));
        assertThrows(KeysFile.KeysFileException.class, () -> new KeysFile(d).store(LU, 0xb, false));

        Path open = dir.resolve("open");
        Files.writeString(open, LU + " 0xa\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(refused(open).getMessage().contains("world-writable"));
    }

    @Test
    void anyLineThatDoesNotParseRefusesTheWholeFileNamingTheLine() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        String[] bad = {"garbage", LU + " 0xzz", LU + " 12", LU + " 0xa extra", LU + " 0x0",
            LU + " 0xa\n" + LU + " 0xb", LU + " 0x11223344556677889"};
        for (String text : bad) {
            Path f = dir.resolve("k" + text.hashCode());
            Files.writeString(f, "# comment\n" + text + "\n");
            KeysFile.KeysFileException e = refused(f);
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("line "), e.getMessage());
        }
        Path f = dir.resolve("latin1");
        Files.write(f, (LU + " 0xa\n# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        KeysFile.KeysFileException e = refused(f);
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("UTF-8"), e.getMessage());
        Path nul = dir.resolve("nul");
        Files.write(nul, (LU + " 0xa\u0000\n").getBytes(StandardCharsets.UTF_8));
        assertTrue(refused(nul).getMessage().contains("line 1"));
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedNotIgnored() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        Path blocker = dir.resolve("notadir");
        Files.writeString(blocker, "x");
        KeysFile k = new KeysFile(blocker.resolve("prkeys")); // its "directory" is a regular file
        assertThrows(KeysFile.KeysFileException.class, k::checkWritable);
        assertThrows(KeysFile.KeysFileException.class, () -> k.store(LU, 0xa, false));
    }

    /**
     * A writer replaces the file in a loop and is SIGKILLed at a random moment, many times: the file
     * is always one complete version, never empty or partial.
     */
    @Test
    void atomicReplaceSurvivesSigkillAtAnyPoint() throws Exception {
        Path f = Files.createTempDirectory("keys-kill").resolve("prkeys");
        new KeysFile(f).store(LU, 1, false);
        Random r = new Random(20261203);
        List<Long> seen = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
            Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    KeysFileWriter.class.getName(), f.toString(), LU).redirectErrorStream(true).start();
            // Wait until it is writing (its first line), then let it run a random while.
            var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // Kill only once it has replaced the file at least once (however slow the machine),
            // then at a random moment of the replacements that follow.
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("stored "), "the writer stored a key: " + first);
            Thread.sleep(r.nextInt(30));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            KeysFile.Entry e = new KeysFile(f).load(LU); // throws if torn
            assertTrue(e.key() > 0, "a complete key after kill " + round + ": " + Files.readString(f));
            seen.add(e.key());
        }
        assertTrue(seen.stream().distinct().count() > 1, "the writer made progress between kills: " + seen);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The killed writer: stores ever-growing keys as fast as it can, saying so after each. */
    public static final class KeysFileWriter {
        public static void main(String[] args) throws IOException {
            KeysFile k = new KeysFile(Path.of(args[0]));
            long key = k.load(args[1]).key();
            while (true) {
                k.store(args[1], ++key, key % 2 == 0);
                System.out.println("stored " + key);
                System.out.flush();
            }
        }
    }
}
