package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.config.ConfiguredDevice;
import io.mpathfs.fuse.config.MpathfsConf;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Starts every configured device (or those named) that is not up: one daemon per device, all
 * launched at once, then waited for until each is mounted or has exited.
 */
@Command(mixinStandardHelpOptions = true, name = "up", description = "Start every configured device "
        + "(one daemon each, mounted at MOUNT_DIR/ALIAS).")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ConfiguredDevices configured;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait for each mount (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        MpathfsConf conf = configured.load();
        DaemonLauncher launcher = new DaemonLauncher(conf);
        Map<ConfiguredDevice, Process> started = new LinkedHashMap<>();
        int failed = 0;
        for (ConfiguredDevice d : configured.selectFrom(conf)) {
            if (DaemonLauncher.isUp(d)) {
                System.out.println(d.alias() + ": already up at " + d.mountPoint());
            } else {
                started.put(d, launcher.launch(d));
            }
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        for (Map.Entry<ConfiguredDevice, Process> e : started.entrySet()) {
            ConfiguredDevice d = e.getKey();
            Process p = e.getValue();
            while (!DaemonLauncher.isUp(d) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (DaemonLauncher.isUp(d)) {
                System.out.println(d.alias() + ": up at " + d.mountPoint() + " (pid " + p.pid() + ", log "
                        + launcher.logOf(d) + ")");
            } else {
                failed++;
                String why = p.isAlive() ? "not mounted after " + timeoutSeconds + " s (pid " + p.pid() + " left running)"
                        : "daemon exited with status " + p.exitValue();
                System.err.println("mpathfs: " + d.alias() + ": " + why + "; " + launcher.logOf(d) + ":\n"
                        + launcher.logTail(d, 10));
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
