package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.MountTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "umount", description = "Unmount an mpathfs mount; the daemon serving it exits.")
final class UmountCommand implements Callable<Integer> {
    /** umount(8)'s "mount failure". */
    static final int MOUNT_FAILURE = 32;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        return unmount(mountPoint, System.err);
    }

    /** Unmounts the mpathfs mount at mountPoint and waits until it is gone: 0, or 32 with a message. */
    static int unmount(Path mountPoint, PrintStream err) throws InterruptedException {
        String src = MountTable.fuseSourceAt(mountPoint);
        if (src == null || !src.startsWith("mpathfs")) {
            err.println("mpathfs: " + mountPoint + " is not an mpathfs mount");
            return MOUNT_FAILURE;
        }
        try {
            MountTable.unmount(mountPoint, false);
        } catch (IOException busy) {
            err.println("mpathfs: " + busy.getMessage());
            return MOUNT_FAILURE;
        }
        if (!MountTable.await(mountPoint, false, 10_000)) {
            err.println("mpathfs: " + mountPoint + " still mounted after 10 s");
            return MOUNT_FAILURE;
        }
        return 0;
    }
}
