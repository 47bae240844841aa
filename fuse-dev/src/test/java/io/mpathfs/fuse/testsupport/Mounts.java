package io.mpathfs.fuse.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mpathfs.backends.file.FilePath;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.FuseKind;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.MountTable;
import io.mpathfs.fuse.MountedDevice;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Mounts for the tests: in-process (the test drives the device directly) or as a bin/mpathfs daemon. */
public final class Mounts {
    private Mounts() {
    }

    /** The repository root (Surefire/Failsafe pass it; falls back to the working directory's parent). */
    public static Path repo() {
        String r = System.getProperty("mpathfs.repo");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
        return p.toAbsolutePath().normalize();
    }

    public static Path launcher() {
        Path l = repo().resolve("bin/mpathfs");
        Path jar = repo().resolve("fuse-dev/target/mpathfs.jar");
        if (!Files.isExecutable(l) || !Files.exists(jar)) {
            fail("bin/mpathfs or its jar is missing: build with 'make' (mvn package) before the mount tests");
        }
        return l;
    }

    /** An in-process mount over file paths. */
    public static MountedDevice mountFiles(Path mountPoint, DeviceConfig config, String... paths) throws Exception {
        Sh.require("fusermount", "fuse");
        DeviceAssembly a = new DeviceAssembly(FilePath::open);
        MultipathDevice d = a.openDevice(DeviceAssembly.nameFor(mountPoint), List.of(paths), config);
        MountedDevice m = a.assemble(mountPoint, d, new DeviceAssembly.PrSettings(
                Files.createTempDirectory("keys").resolve("prkeys"), true));
        m.mount(false);
        return m;
    }

    /** A bin/mpathfs daemon; close() stops it with SIGTERM and checks the mount is gone. */
    public static final class Daemon implements AutoCloseable {
        public final Process process;
        public final Path mountPoint;
        public final Path log;

        Daemon(Process p, Path mountPoint, Path log) {
            this.process = p;
            this.mountPoint = mountPoint;
            this.log = log;
        }

        public String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (Exception e) {
                return "(no log: " + e + ")";
            }
        }

        public void signal(String sig) {
            Sh.ok(10, "kill", "-" + sig, Long.toString(process.pid()));
        }

        public boolean awaitExit(long seconds) throws InterruptedException {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            if (MountTable.fuseSourceAt(mountPoint) != null) {
                Sh.run(10, "fusermount", "-u", "-z", mountPoint.toString());
            }
        }
    }

    public static Daemon daemon(Path mountPoint, String... args) throws Exception {
        Sh.require("fusermount", "fuse");
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("mpathfs-daemon", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MPATHFS_HEAP", "256m");
        // The transport under test (mvn -Dmpathfs.fuse=kernel|libfuse2) reaches the daemons too.
        String fuse = System.getProperty(FuseKind.PROPERTY, "");
        if (!fuse.isBlank()) {
            pb.environment().put("MPATHFS_JAVA_OPTS", "-D" + FuseKind.PROPERTY + "=" + fuse);
        }
        Process p = pb.start();
        Daemon d = new Daemon(p, mountPoint, log);
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            // A stale mount may sit there (and the kernel may still answer stat from its attribute
            // cache): wait for the daemon's own word that FUSE INIT arrived.
            if (d.log().contains("INFO serving ") && new File(mountPoint.toFile(), "disk").exists()) {
                return d;
            }
            if (!p.isAlive()) {
                fail("mpathfs " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + d.log());
            }
            Thread.sleep(50);
        }
        d.close();
        fail("mpathfs " + String.join(" ", args) + " did not mount within 60 s:\n" + d.log());
        return d;
    }

    public static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    public static void assertUnmounted(Path mountPoint) throws InterruptedException {
        assertTrue(MountTable.await(mountPoint, false, 10_000), "still mounted: " + mountPoint);
    }
}
