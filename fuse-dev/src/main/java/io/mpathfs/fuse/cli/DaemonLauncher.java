package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.MountTable;
import io.mpathfs.fuse.config.ConfiguredDevice;
import io.mpathfs.fuse.config.MpathfsConf;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a configured device's daemon ({@code mpathfs start ALIAS}) detached from the caller: the
 * same JVM, options and class path as this process, in a session of its own (setsid, so the
 * terminal's Ctrl-C or hang-up does not reach it), output appended to LOG_DIR/ALIAS.log.
 */
final class DaemonLauncher {
    private final MpathfsConf conf;

    DaemonLauncher(MpathfsConf conf) {
        this.conf = conf;
    }

    Process launch(ConfiguredDevice d) throws IOException {
        Files.createDirectories(conf.logDir());
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "start", d.alias(), "--config", conf.file().toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(d).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    Path logOf(ConfiguredDevice d) {
        return conf.logDir().resolve(d.alias() + ".log");
    }

    /** The last lines of a daemon's log, for a start that failed. */
    String logTail(ConfiguredDevice d, int lines) {
        try {
            List<String> all = Files.readAllLines(logOf(d), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Whether a live mpathfs daemon serves the device: mounted, and its files answer (a stale mount does not). */
    static boolean isUp(ConfiguredDevice d) {
        String src = MountTable.fuseSourceAt(d.mountPoint());
        return src != null && src.startsWith("mpathfs") && Files.exists(d.mountPoint().resolve("disk"));
    }
}
