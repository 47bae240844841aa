package io.mpathfs.fuse.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The mpathfs command line. */
@Command(name = "mpathfs", mixinStandardHelpOptions = true, version = "mpathfs 0.1.0",
        description = "A userspace multipath block device with SCSI Persistent Reservations.",
        subcommands = {MountCommand.class, UmountCommand.class, DemoCommand.class, PrCommandCli.class,
            BenchPrCommand.class, StartCommand.class, StopCommand.class, UpCommand.class, DownCommand.class,
            ListCommand.class, DiscoverCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        Logger.getLogger("mpathfs").setLevel(Level.INFO);
        int rc = new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("mpathfs: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }).execute(args);
        System.exit(rc);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
