package io.mpathfs.fuse.cli;

import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.MountedDevice;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "mount", description = "Mount a multipath device over PATHs to one logical unit (foreground; "
        + "Ctrl-C, SIGTERM or 'mpathfs umount' unmounts).")
final class MountCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Parameters(index = "1..*", paramLabel = "PATH", arity = "1..*",
            description = "block devices (/dev/sdX, /dev/loopN) or files: paths to the same logical unit")
    List<String> paths;

    @Override
    public Integer call() throws Exception {
        DeviceAssembly assembly = new DeviceAssembly(Backends.opener());
        MultipathDevice device = assembly.openDevice(DeviceAssembly.nameFor(mountPoint), paths, options.toConfig());
        MountedDevice m = assembly.assemble(mountPoint, device, options.prSettings());
        m.mount(true);
        return 0;
    }
}
