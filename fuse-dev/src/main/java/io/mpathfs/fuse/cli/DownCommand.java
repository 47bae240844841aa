package io.mpathfs.fuse.cli;

import io.mpathfs.fuse.MountTable;
import io.mpathfs.fuse.config.ConfiguredDevice;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Unmounts every configured device (or those named) that is mounted; their daemons exit. */
@Command(mixinStandardHelpOptions = true, name = "down", description = "Stop every configured device "
        + "(unmount; each daemon exits).")
final class DownCommand implements Callable<Integer> {
    @Mixin
    ConfiguredDevices configured;

    @Override
    public Integer call() throws Exception {
        int failed = 0;
        for (ConfiguredDevice d : configured.selectFrom(configured.load())) {
            if (MountTable.fuseSourceAt(d.mountPoint()) == null) {
                System.out.println(d.alias() + ": not mounted");
                continue;
            }
            if (UmountCommand.unmount(d.mountPoint(), System.err) == 0) {
                System.out.println(d.alias() + ": down");
            } else {
                failed++;
            }
        }
        return failed == 0 ? 0 : UmountCommand.MOUNT_FAILURE;
    }
}
