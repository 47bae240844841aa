package io.mpathfs.fuse.cli;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.MountedDevice;
import io.mpathfs.fuse.SimControlFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The embedded default: the built-in SPC-4 target with one logical unit and N target ports; this
 * host's N I_T nexuses are the paths. ctl/sim drives the target (faults, other hosts).
 */
@Command(name = "demo", description = "Mount the embedded default: the built-in SPC-4 target with several paths.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Option(names = "--paths", defaultValue = "4", description = "number of paths (default: ${DEFAULT-VALUE})")
    int paths;

    @Option(names = "--size", defaultValue = "1G", description = "capacity, e.g. 256M, 1G (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--block-size", defaultValue = "512", description = "logical block size, 512 or 4096")
    int blockSize;

    @Option(names = "--backing-file", paramLabel = "FILE",
            description = "keep the LU's data (and APTPL state) in this sparse file instead of memory")
    Path backingFile;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MOUNTPOINT", defaultValue = "/mnt/mpath0")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        if (paths < 1 || paths > 64) {
            throw new IllegalArgumentException("--paths must be 1..64");
        }
        SimConfig.Builder b = SimConfig.builder().capacityBytes(Sizes.parse(size)).blockSize(blockSize)
                .targetPorts(paths);
        if (backingFile != null) {
            b.backingFile(backingFile);
        }
        SimTarget target = SimTarget.create(b.build());
        List<DevicePath> ps = new ArrayList<>(target.paths());
        MultipathDevice device = new MultipathDevice(DeviceAssembly.nameFor(mountPoint), ps, options.toConfig());
        DeviceAssembly assembly = new DeviceAssembly(spec -> {
            throw new io.mpathfs.backends.PathException(io.mpathfs.backends.ErrorClass.TARGET_ERROR,
                    io.mpathfs.nativeshim.Errno.EINVAL, "on the embedded target, new paths come from 'path add' in ctl/sim");
        });
        assembly.withControl(new SimControlFile(target, device));
        MountedDevice m = assembly.assemble(mountPoint, device, options.prSettings());
        m.closeLater(target);
        m.mount(true);
        return 0;
    }
}
