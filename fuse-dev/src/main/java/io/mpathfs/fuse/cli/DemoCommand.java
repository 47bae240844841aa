package io.mpathfs.fuse.cli;

import io.mpathfs.backends.scsi.TargetPortGroups;
import io.mpathfs.backends.sim.SimConfig;
import io.mpathfs.backends.sim.SimTarget;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.control.AluaMode;
import io.mpathfs.fuse.EmbeddedDefault;
import io.mpathfs.fuse.MountedDevice;
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
 * host's N I_T nexuses are the paths. ctl/sim drives the target (faults, other hosts). With
 * --hosts, several cluster nodes share the LU, each a mount of its own over its own nexuses.
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

    @Option(names = "--hosts", defaultValue = "1", paramLabel = "N",
            description = "cluster nodes on the same LU (1.." + EmbeddedDefault.MAX_NODES + "): MOUNTPOINT for the first, "
                    + "MOUNTPOINT-2 ... MOUNTPOINT-N for the others, each over its own --paths nexuses "
                    + "(hosts Z, Y, ... on the target) with its own keys file (KEYS-FILE-2 ...) (default: ${DEFAULT-VALUE})")
    int hosts;

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
        if (hosts < 1 || hosts > EmbeddedDefault.MAX_NODES) {
            throw new IllegalArgumentException("--hosts must be 1.." + EmbeddedDefault.MAX_NODES);
        }
        if (options.aluaGiven()) {
            b.tpgs(options.aluaMode() == AluaMode.EXPLICIT ? TargetPortGroups.TPGS_IMPLICIT | TargetPortGroups.TPGS_EXPLICIT
                    : TargetPortGroups.TPGS_IMPLICIT);
        }
        SimTarget target = SimTarget.create(b.build());
        if (options.aluaGiven()) {
            EmbeddedDefault.twoPortGroups(target);
        }
        List<MountedDevice> others = new ArrayList<>();
        try {
            // The other nodes first, each serving in the background; the first node's mount
            // serves in the foreground, and its unmount (signal or 'mpathfs umount') takes the
            // others down with it.
            for (int node = 2; node <= hosts; node++) {
                MountedDevice m = EmbeddedDefault.assemble(nodeMountPoint(node),
                        target.hostView(EmbeddedDefault.nodeHost(node)), options.toConfig(), nodePr(node),
                        options.access(), options.fuse()).mounted();
                m.mount(false);
                others.add(m);
            }
            MountedDevice first = EmbeddedDefault.assemble(mountPoint, target, options.toConfig(),
                    options.prSettings(), options.access(), options.fuse()).mounted();
            others.forEach(first::closeLater);
            first.mount(true);
        } catch (Exception | Error e) {
            others.forEach(MountedDevice::close);
            target.close();
            throw e;
        }
        return 0;
    }

    /** MOUNTPOINT-n: node n's mount beside the first node's. */
    private Path nodeMountPoint(int node) {
        Path abs = mountPoint.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + "-" + node);
    }

    /** Node n's own keys file, KEYS-FILE-n: each node keeps its own key, as each cluster node does. */
    private DeviceAssembly.PrSettings nodePr(int node) {
        DeviceAssembly.PrSettings first = options.prSettings();
        Path k = first.keysFile().toAbsolutePath().normalize();
        return new DeviceAssembly.PrSettings(k.resolveSibling(k.getFileName() + "-" + node), first.aptpl());
    }
}
