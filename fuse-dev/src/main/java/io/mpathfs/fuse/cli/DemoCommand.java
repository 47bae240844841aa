package io.mpathfs.fuse.cli;

import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.MountedDevice;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "demo", description = "Mount the embedded default: a multipath device with several paths.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Option(names = "--paths", defaultValue = "4", description = "number of paths (default: ${DEFAULT-VALUE})")
    int paths;

    @Option(names = "--size", defaultValue = "1G", description = "capacity, e.g. 256M, 1G (default: ${DEFAULT-VALUE})")
    String size;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MOUNTPOINT", defaultValue = "/mnt/mpath0")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        if (paths < 1 || paths > 64) {
            throw new IllegalArgumentException("--paths must be 1..64");
        }
        long bytes = Sizes.parse(size);
        Path img = Path.of(System.getProperty("java.io.tmpdir"), "mpathfs-demo-" + DeviceAssembly.nameFor(mountPoint) + ".img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(bytes); // sparse
        }
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < paths; i++) {
            specs.add(img.toString());
        }
        DeviceAssembly assembly = new DeviceAssembly(Backends.opener());
        MultipathDevice device = assembly.openDevice(DeviceAssembly.nameFor(mountPoint), specs, options.toConfig());
        MountedDevice m = assembly.assemble(mountPoint, device, options.prSettings());
        m.closeLater(() -> Files.deleteIfExists(img));
        m.mount(true);
        return 0;
    }
}
