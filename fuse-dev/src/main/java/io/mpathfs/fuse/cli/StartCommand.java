package io.mpathfs.fuse.cli;

import io.mpathfs.backends.scsidevice.PathDiscovery;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.fuse.DeviceAssembly;
import io.mpathfs.fuse.MountedDevice;
import io.mpathfs.fuse.config.ConfiguredDevice;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** One configured device's daemon, in the foreground: what mpathfs@ALIAS.service and `mpathfs up` run. */
@Command(mixinStandardHelpOptions = true, name = "start", description = "Serve one configured device in the "
        + "foreground at MOUNT_DIR/ALIAS (SIGTERM or 'mpathfs stop ALIAS' unmounts).")
final class StartCommand implements Callable<Integer> {
    @Mixin
    OneConfiguredDevice configured;

    @Override
    public Integer call() throws Exception {
        String alias = configured.alias;
        ConfiguredDevice d = configured.device();
        List<String> paths = d.byWwid() ? PathDiscovery.system().find(d.wwid(), d.blacklist()) : d.paths();
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(alias + ": no SCSI disk with identifier " + d.wwid()
                    + (d.blacklist().patterns().isEmpty() ? "" : " outside the blacklist " + d.blacklist()));
        }
        DeviceAssembly assembly = new DeviceAssembly(Backends.opener());
        if (d.byWwid()) {
            assembly.withHotplug(d.wwid(), d.blacklist());
        }
        MultipathDevice device = assembly.openDevice(alias, paths, d.settings());
        MountedDevice m = assembly.assemble(d.mountPoint(), device,
                new DeviceAssembly.PrSettings(d.keysFile(), true));
        m.mount(true);
        return 0;
    }
}
