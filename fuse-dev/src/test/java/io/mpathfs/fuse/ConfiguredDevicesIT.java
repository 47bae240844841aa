package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpathfs.fuse.testsupport.LoopDevices;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Several devices from one mpathfs.conf: `mpathfs up` mounts both configured devices (one daemon
 * each), `mpathfs list` shows both with their paths, `mpathfs down` unmounts both and the daemons
 * exit; the systemd unit's own ExecStart/ExecStop lines start and stop a device; a configuration
 * error reaches the user naming file, line and problem. Paths are loop devices over one image per
 * device (the WWID side needs SCSI disks: the lab's hot-plug suite).
 */
class ConfiguredDevicesIT {
    private static final int SIZE = 8 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scratch directory with an image per device and a configuration naming their loop devices. */
    private static final class Setup {
        final Path dir;
        final Path conf;
        final Map<String, List<String>> paths = new LinkedHashMap<>();
        final Map<String, Path> images = new LinkedHashMap<>();

        Setup(LoopDevices loops, String deviceSections, String... aliases) throws Exception {
            dir = Files.createTempDirectory("mpathfs-conf");
            Random r = new Random(7);
            StringBuilder devices = new StringBuilder();
            for (String alias : aliases) {
                Path img = dir.resolve(alias + ".img");
                byte[] data = new byte[SIZE];
                r.nextBytes(data);
                Files.write(img, data);
                images.put(alias, img);
                List<String> p = List.of(loops.attach(img), loops.attach(img));
                paths.put(alias, p);
                devices.append("\n[[device]]\nalias = \"").append(alias).append("\"\npaths = [\"").append(p.get(0))
                        .append("\", \"").append(p.get(1)).append("\"]\n");
                if (alias.equals("mpatha")) {
                    devices.append("policy = \"round-robin\"\n");
                }
            }
            conf = dir.resolve("mpathfs.conf");
            Files.writeString(conf, "[defaults]\nchecker_interval = 1\nno_path_retry = 3\n"
                    + "mount_dir = \"" + dir.resolve("mnt") + "\"\nlog_dir = \"" + dir.resolve("log") + "\"\n"
                    + "keys_file = \"" + dir.resolve("keys") + "/prkeys-{alias}\"\n" + deviceSections + devices);
        }

        Path mount(String alias) {
            return dir.resolve("mnt").resolve(alias);
        }
    }

    private static Sh.Result mpathfs(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Mounts.launcher().toString()));
        cmd.addAll(Arrays.asList(args));
        return Sh.run(300, cmd.toArray(String[]::new));
    }

    private static Sh.Result mpathfsOk(String... args) {
        Sh.Result r = mpathfs(args);
        if (!r.ok()) {
            fail("mpathfs " + String.join(" ", args) + " exited " + r.rc() + ":\n" + r.out());
        }
        return r;
    }

    @Test
    void upMountsEveryConfiguredDeviceListShowsThemDownUnmountsThem() throws Exception {
        Sh.require("fusermount", "fuse");
        List<Long> daemons = new ArrayList<>();
        try (LoopDevices loops = new LoopDevices()) {
            Setup s = new Setup(loops, "", "mpatha", "mpathb");
            try {
                Sh.Result up = mpathfsOk("up", "--config", s.conf.toString());
                for (String alias : s.paths.keySet()) {
                    Matcher m = Pattern.compile(alias + ": up at " + Pattern.quote(s.mount(alias).toString())
                            + " \\(pid (\\d+)").matcher(up.out());
                    assertTrue(m.find(), "up reports " + alias + ":\n" + up.out());
                    daemons.add(Long.parseLong(m.group(1)));
                    assertEquals("mpathfs:" + alias, MountTable.fuseSourceAt(s.mount(alias)));
                    assertEquals(SIZE, Files.size(s.mount(alias).resolve("disk")));
                }
                assertTrue(daemons.get(0).longValue() != daemons.get(1).longValue(), "one daemon per device");
                // Data written through each mount reaches its own LU (the image behind its loop devices).
                for (String alias : s.paths.keySet()) {
                    Path disk = s.mount(alias).resolve("disk");
                    Sh.ok(60, "dd", "if=/dev/urandom", "of=" + disk, "bs=64k", "count=32", "oflag=direct",
                            "conv=notrunc,fsync");
                    Sh.ok(60, "cmp", "-n", Integer.toString(2 << 20), disk.toString(), s.images.get(alias).toString());
                }

                // list exits 1 when some mpathfs mount on this machine does not answer (another
                // test's stale mount may be there): ours must be listed whole either way.
                String text = mpathfs("list").out();
                for (String alias : s.paths.keySet()) {
                    assertListed(text, alias, s.mount(alias), s.paths.get(alias));
                }
                String listed = mpathfs("list", "--json").out();
                JsonNode json = JSON.readTree(listed.substring(Math.max(0, listed.indexOf('{')))); // past any JVM notice
                for (String alias : s.paths.keySet()) {
                    JsonNode d = deviceAt(json, s.mount(alias))
                            .orElseThrow(() -> new AssertionError(alias + " not in list --json:\n" + json));
                    assertEquals(alias, d.get("name").asText());
                    assertEquals(SIZE, d.get("size_bytes").asLong());
                    assertEquals(alias.equals("mpatha") ? "round-robin" : "service-time", d.get("policy").asText());
                    assertEquals("unregistered", d.get("pr_state").asText());
                    List<String> devs = new ArrayList<>();
                    for (JsonNode p : d.get("paths")) {
                        devs.add(p.get("device").asText());
                        assertEquals("active", p.get("state").asText(), p.toString());
                    }
                    assertEquals(s.paths.get(alias), devs);
                }

                Sh.Result again = mpathfsOk("up", "--config", s.conf.toString());
                assertTrue(again.out().contains("mpatha: already up") && again.out().contains("mpathb: already up"),
                        again.out());

                Sh.Result down = mpathfsOk("down", "--config", s.conf.toString());
                assertTrue(down.out().contains("mpatha: down") && down.out().contains("mpathb: down"), down.out());
                for (String alias : s.paths.keySet()) {
                    Mounts.assertUnmounted(s.mount(alias));
                }
                for (long pid : daemons) {
                    assertTrue(awaitExit(pid, 60), "daemon " + pid + " exits after down");
                }
                assertTrue(mpathfsOk("down", "--config", s.conf.toString()).out().contains("mpatha: not mounted"));
            } finally {
                cleanUp(daemons, s.mount("mpatha"), s.mount("mpathb"));
            }
        }
    }

    /** The text block of one device: its header line, then one tree line per path. */
    private static void assertListed(String text, String alias, Path mount, List<String> paths) {
        List<String> lines = text.lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(alias + " (") && lines.get(i).endsWith(") " + mount)) {
                at = i;
            }
        }
        assertTrue(at >= 0, alias + " at " + mount + " not listed:\n" + text);
        assertTrue(lines.get(at + 1).startsWith("size=8M policy='") && lines.get(at + 1).contains(" pr=unregistered "),
                lines.get(at + 1));
        assertTrue(lines.get(at + 2).startsWith("|- " + paths.get(0) + " active registered=no io="), text);
        assertTrue(lines.get(at + 3).startsWith("`- " + paths.get(1) + " active registered=no io="), text);
    }

    private static Optional<JsonNode> deviceAt(JsonNode list, Path mount) {
        for (JsonNode d : list.get("devices")) {
            if (d.get("mount_point").asText().equals(mount.toString())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    @Test
    void theSystemdUnitsCommandsStartAndStopAConfiguredDevice() throws Exception {
        Map<String, Map<String, String>> unit = readUnit(Mounts.repo().resolve("systemd/mpathfs@.service"));
        Map<String, Map<String, String>> target = readUnit(Mounts.repo().resolve("systemd/mpathfs.target"));
        assertEquals("mpathfs.target", unit.get("Install").get("WantedBy"));
        assertEquals("mpathfs.target", unit.get("Unit").get("PartOf"));
        assertEquals("multi-user.target", target.get("Install").get("WantedBy"));
        String start = unit.get("Service").get("ExecStart").replace("%i", "mpathc");
        String stop = unit.get("Service").get("ExecStop").replace("%i", "mpathc");
        List<Long> daemons = new ArrayList<>();
        try (LoopDevices loops = new LoopDevices()) {
            Setup s = new Setup(loops, "", "mpathc");
            Path log = s.dir.resolve("unit.log");
            Process service = unitCommand(start, s.conf).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            daemons.add(service.pid());
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(s.mount("mpathc").resolve("disk")) && service.isAlive() && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertEquals("mpathfs:mpathc", MountTable.fuseSourceAt(s.mount("mpathc")),
                        "ExecStart=" + start + " mounts:\n" + Files.readString(log, StandardCharsets.UTF_8));
                assertEquals(SIZE, Files.size(s.mount("mpathc").resolve("disk")));
                Process stopping = unitCommand(stop, s.conf).redirectErrorStream(true).start();
                String stopOut = new String(stopping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(stopping.waitFor(60, TimeUnit.SECONDS), "ExecStop finishes");
                assertEquals(0, stopping.exitValue(), "ExecStop=" + stop + ":\n" + stopOut);
                Mounts.assertUnmounted(s.mount("mpathc"));
                assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service's main process exits after ExecStop");
                assertEquals(0, service.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                cleanUp(daemons, s.mount("mpathc"));
            }
        }
    }

    /**
     * A unit command as systemd runs it: the instance substituted, the first word looked up in the
     * search path (here bin/ first, as /usr/local/bin would hold it), the configuration from the
     * environment as a drop-in's Environment= gives it.
     */
    private static ProcessBuilder unitCommand(String command, Path conf) {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$@\"", "unit"));
        cmd.addAll(Arrays.asList(command.trim().split("\\s+")));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", Mounts.repo().resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("MPATHFS_CONFIG", conf.toString());
        pb.environment().put("MPATHFS_HEAP", "256m");
        return pb;
    }

    /** section → key → value of a systemd unit file (comments and blank lines skipped). */
    private static Map<String, Map<String, String>> readUnit(Path file) throws Exception {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> section = null;
        for (String l : Files.readAllLines(file)) {
            String t = l.trim();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("[") && t.endsWith("]")) {
                section = out.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashMap<>());
            } else if (section != null && t.contains("=")) {
                section.put(t.substring(0, t.indexOf('=')).trim(), t.substring(t.indexOf('=') + 1).trim());
            } else {
                fail(file + ": not a unit file line: " + l);
            }
        }
        return out;
    }

    @Test
    void aConfigurationErrorNamesFileLineAndProblem() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-badconf");
        Path conf = dir.resolve("mpathfs.conf");
        Files.writeString(conf, "[defaults]\nchecker_interval = 2\n\n[[device]]\nalias = \"mpatha\"\n"
                + "paths = [\"/dev/loop0\"]\npolicy = \"fastest\"\n");
        Sh.Result up = mpathfs("up", "--config", conf.toString());
        assertEquals(1, up.rc(), up.out());
        assertTrue(up.out().contains("mpathfs: " + conf + ":7: [[device]] #1: unknown policy 'fastest'"), up.out());
        assertTrue(Files.notExists(dir.resolve("mnt")), "nothing started");
    }

    private static boolean awaitExit(long pid, int seconds) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Whatever a failed test left: daemons killed, mounts detached (before the loop devices go). */
    private static void cleanUp(List<Long> daemons, Path... mounts) throws Exception {
        for (long pid : daemons) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
        for (Path m : mounts) {
            if (MountTable.fuseSourceAt(m) != null) {
                Sh.run(10, "fusermount", "-u", "-z", m.toString());
            }
        }
    }
}
