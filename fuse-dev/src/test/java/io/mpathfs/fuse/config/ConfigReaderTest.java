package io.mpathfs.fuse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.control.NoPathRetry;
import io.mpathfs.fuse.testsupport.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mpathfs.conf: the documented example, defaults and overrides, and each error naming file, line and problem. */
class ConfigReaderTest {
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path f = dir.resolve("mpathfs.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theExampleInTheRepositoryReadsAsDocumented() throws Exception {
        MpathfsConf c = ConfigReader.read(Mounts.repo().resolve("etc/mpathfs.conf"));
        assertEquals(2, c.devices().size());
        ConfiguredDevice a = c.device("mpatha");
        assertTrue(a.byWwid());
        assertEquals(Path.of("/mnt/mpatha"), a.mountPoint());
        assertEquals(Path.of("/var/lib/mpathfs/prkeys-mpatha"), a.keysFile());
        assertEquals("service-time", a.settings().policy());
        assertFalse(a.blacklist().test("sda"), "the defaults' blacklist applies");
        assertTrue(a.blacklist().test("sdb"));
        ConfiguredDevice b = c.device("mpathb");
        assertEquals(List.of("/dev/sdx", "/dev/sdy"), b.paths());
        assertEquals("round-robin", b.settings().policy());
        assertEquals(new NoPathRetry(12), b.settings().noPathRetry());
        assertEquals(Duration.ofSeconds(5), b.settings().checkerInterval());
        assertEquals(Path.of("/var/log/mpathfs"), c.logDir());
    }

    @Test
    void aDeviceOverridesTheDefaultsAndAddsToTheBlacklist() throws Exception {
        MpathfsConf c = ConfigReader.read(write("""
                [defaults]
                policy = "failover"
                checker_interval = 0.5
                no_path_retry = "queue"
                keys_file = "/k/{alias}.keys"
                mount_dir = "/srv/m"
                blacklist = ["^sda$"]

                [[device]]
                alias = "one"
                wwid = "naa.6001405aabbccdd"
                checker_interval = 2
                blacklist = ["sd[x-z]"]

                [[device]]
                alias = "two"
                paths = ["/dev/loop7"]
                """));
        ConfiguredDevice one = c.device("one");
        assertEquals("failover", one.settings().policy());
        assertEquals(Duration.ofSeconds(2), one.settings().checkerInterval());
        assertEquals(NoPathRetry.QUEUE, one.settings().noPathRetry());
        assertEquals(Path.of("/k/one.keys"), one.keysFile());
        assertEquals(Path.of("/srv/m/one"), one.mountPoint());
        assertFalse(one.blacklist().test("sda"));
        assertFalse(one.blacklist().test("sdy"));
        assertTrue(one.blacklist().test("sdb"));
        ConfiguredDevice two = c.device("two");
        assertEquals(Duration.ofMillis(500), two.settings().checkerInterval());
        assertTrue(two.blacklist().test("sdy"), "one device's blacklist is not another's");
        ConfigException e = assertThrows(ConfigException.class, () -> c.device("three"));
        assertTrue(e.getMessage().contains("no device with alias 'three'"), e.getMessage());
    }

    /** Reads text that must be refused; returns the error after checking it names the file. */
    private ConfigException refused(String text) throws Exception {
        Path f = write(text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.read(f));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        return e;
    }

    private static void assertError(ConfigException e, int line, String problem) {
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.problem().contains(problem), "'" + problem + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(line > 0 ? ":" + line + ": " : e.file() + ": "), e.getMessage());
    }

    @Test
    void aSyntaxErrorIsReportedAtTheParsersLine() throws Exception {
        assertError(refused("[defaults]\npolicy = \"round-robin\"\nchecker_interval = = 3\n"), 3, "TOML syntax");
        assertError(refused("[[device]]\nalias = \"a\"\npaths = [\"/x\"\n\n"), 5, "TOML syntax");
    }

    @Test
    void aWrongKeyOrValueIsReportedAtTheLineOfThatKey() throws Exception {
        assertError(refused("""
                [defaults]
                policy = "round-robin"

                [[device]]
                alias = "a"
                paths = ["/x"]

                [[device]]
                alias = "b"
                paths = ["/y"]
                polcy = "failover"
                """), 11, "unknown key 'polcy'");
        assertError(refused("""
                [defaults]
                checker_interval = 5
                policy = "fastest"
                [[device]]
                alias = "a"
                paths = ["/x"]
                """), 3, "unknown policy 'fastest'");
        assertError(refused("[[device]]\nalias = \"a\"\npaths = [\"/x\"]\nno_path_retry = -1\n"), 4,
                "no_path_retry must be");
        assertError(refused("[[device]]\nalias = \"a\"\npaths = [\"/x\"]\nchecker_interval = 0\n"), 4,
                "checker_interval must be");
        assertError(refused("[[device]]\nalias = \"a\"\npaths = [\"/x\"]\nchecker_interval = \"5\"\n"), 4,
                "must be a number");
        assertError(refused("[defaults]\nblacklist = [\"sd[\"]\n[[device]]\nalias = \"a\"\npaths = [\"/x\"]\n"), 2,
                "not a regular expression");
        assertError(refused("[defaults]\nmount_dir = \"mnt\"\n[[device]]\nalias = \"a\"\npaths = [\"/x\"]\n"), 2,
                "absolute path");
        assertError(refused("[[device]]\nalias = \"../etc\"\npaths = [\"/x\"]\n"), 2, "must be letters");
        assertError(refused("[[device]]\nalias = \"a\"\npaths = \"/x\"\n"), 3, "list of strings");
    }

    @Test
    void devicesAreCheckedAsAWhole() throws Exception {
        assertError(refused("[[device]]\nalias = \"a\"\nwwid = \"36001405aa\"\npaths = [\"/x\"]\n"), 4,
                "either wwid");
        assertError(refused("[[device]]\nalias = \"a\"\n"), 1, "either wwid");
        assertError(refused("[defaults]\npolicy = \"failover\"\n\n[[device]]\npaths = [\"/x\"]\n"), 4,
                "needs an alias");
        assertError(refused("[[device]]\nalias = \"a\"\npaths = [\"/x\"]\n[[device]]\nalias = \"a\"\npaths = [\"/y\"]\n"),
                5, "configured twice");
        assertError(refused("[[device]]\nalias = \"a\"\nwwid = \"36001405aabbccdd1\"\n[[device]]\nalias = \"b\"\n"
                + "wwid = \"naa.6001405AABBCCDD1\"\n"), 6, "also the wwid of device 'a'");
        assertError(refused("[defaults]\nkeys_file = \"/var/lib/k\"\n[[device]]\nalias = \"a\"\npaths = [\"/x\"]\n"
                + "[[device]]\nalias = \"b\"\npaths = [\"/y\"]\n"), 2, "each device needs its own");
        assertError(refused("[global]\nx = 1\n"), 1, "unknown section or key 'global'");
        assertError(refused("[defaults]\npolicy = \"failover\"\n"), 0, "no device configured");
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("absent.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ": cannot read"), e.getMessage());
    }
}
