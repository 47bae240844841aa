package io.mpathfs.fuse.cli;

import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.fuse.EmbeddedDefault;
import io.mpathfs.fuse.MountedDevice;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The embedded default: the built-in SPC-4 target with one logical unit and N target ports; this
 * host's N I_T nexuses are the paths. ctl/sim drives the target (faults, other hosts).
 */
@Command(mixinStandardHelpOptions = true, name = "demo", description = "Mount the embedded default: the built-in SPC-4 target with several paths.")
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
        MountedDevice m = EmbeddedDefault.assemble(mountPoint, b.build(), options.toConfig(),
                options.prSettings(), options.access(), options.fuse()).mounted();
        m.mount(true);
        return 0;
    }
}
