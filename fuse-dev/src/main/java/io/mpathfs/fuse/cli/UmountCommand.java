package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.MountTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "umount", description = "Unmount an mpathfs mount; the daemon serving it exits.")
final class UmountCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        String src = MountTable.fuseSourceAt(mountPoint);
        if (src == null || !src.startsWith("mpathfs")) {
            System.err.println("mpathfs: " + mountPoint + " is not an mpathfs mount");
            return 32; // umount(8)'s "mount failure"
        }
        try {
            MountTable.unmount(mountPoint, false);
        } catch (IOException busy) {
            System.err.println("mpathfs: " + busy.getMessage());
            return 32;
        }
        if (!MountTable.await(mountPoint, false, 10_000)) {
            System.err.println("mpathfs: " + mountPoint + " still mounted after 10 s");
            return 32;
        }
        return 0;
    }
}
