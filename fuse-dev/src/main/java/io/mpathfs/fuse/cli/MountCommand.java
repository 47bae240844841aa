package io.mpathfs.fuse.cli;

import io.mpathfs.backends.scsidevice.PathDiscovery;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.MountedDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "mount", description = "Mount a multipath device over PATHs to one logical unit (foreground; "
        + "Ctrl-C, SIGTERM or 'mpathfs umount' unmounts).")
final class MountCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Parameters(index = "1..*", paramLabel = "PATH", arity = "0..*",
            description = "block devices (/dev/sdX, /dev/loopN) or files: paths to the same logical unit")
    List<String> paths = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--wwid", paramLabel = "ID",
            description = "use every /dev/sd* of this logical unit (naa.6001405..., or multipath's 36001405...), "
                    + "and add/remove its disks as they appear and disappear")
    String wwid;

    @Override
    public Integer call() throws Exception {
        if (wwid != null) {
            List<String> found = PathDiscovery.system().find(wwid);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no SCSI disk with identifier " + wwid);
            }
            paths.addAll(found);
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("give the paths, or --wwid ID");
        }
        DeviceAssembly assembly = new DeviceAssembly(Backends.opener()).withAccess(options.access())
                .withFuse(options.fuse());
        if (wwid != null) {
            assembly.withHotplug(wwid, name -> true);
        }
        MultipathDevice device = assembly.openDevice(DeviceAssembly.nameFor(mountPoint), paths, options.toConfig());
        MountedDevice m = assembly.assemble(mountPoint, device, options.prSettings());
        m.mount(true);
        return 0;
    }
}
