package io.mpathfs.fuse;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.ctl.ControlFile;
import io.mpathfs.control.ctl.PathOpener;
import io.mpathfs.control.ctl.PathsControl;
import io.mpathfs.control.ctl.PolicyControl;
import io.mpathfs.control.ctl.PrControl;
import io.mpathfs.control.ctl.StatusControl;
import io.mpathfs.control.pr.KeysFile;
import io.mpathfs.control.pr.PrCoordinator;
import io.mpathfs.fuse.files.FileAccess;
import io.mpathfs.fuse.files.MountFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Puts one mount together: paths → device → control files → file system → mount lifecycle. */
public final class DeviceAssembly {
    private final PathOpener opener;
    private final List<ControlFile> extraControls = new ArrayList<>();
    private FileAccess access = FileAccess.defaults();
    private FuseKind fuse = FuseKind.configured();
    private String hotplugWwid;
    private java.util.function.Predicate<String> hotplugAllowed = name -> true;

    public DeviceAssembly(PathOpener opener) {
        this.opener = opener;
    }

    public DeviceAssembly withControl(ControlFile f) {
        extraControls.add(f);
        return this;
    }

    /** Owner group and mode of disk (default root:disk 0660). */
    public DeviceAssembly withAccess(FileAccess a) {
        this.access = a;
        return this;
    }

    /** The FUSE transport (default: the mpathfs.fuse property, else {@link FuseKind#DEFAULT}). */
    public DeviceAssembly withFuse(FuseKind kind) {
        this.fuse = kind;
        return this;
    }

    /**
     * Watch for block devices of this LU appearing and disappearing, and add/remove them as
     * ctl/paths does; allowed filters kernel names (the blacklist).
     */
    public DeviceAssembly withHotplug(String wwid, java.util.function.Predicate<String> allowed) {
        this.hotplugWwid = wwid;
        this.hotplugAllowed = allowed;
        return this;
    }

    /** Device name from the mount point: /mnt/mpath0 → mpath0. */
    public static String nameFor(Path mountPoint) {
        Path f = mountPoint.toAbsolutePath().normalize().getFileName();
        return f == null ? "mpath" : f.toString();
    }

    public MultipathDevice openDevice(String name, List<String> specs, DeviceConfig config) throws PathException {
        List<DevicePath> opened = new ArrayList<>();
        try {
            for (String s : specs) {
                opened.add(opener.open(s));
            }
            MultipathDevice device = new MultipathDevice(name, opened, config);
            device.discoverAlua();
            return device;
        } catch (PathException | RuntimeException e) {
            for (DevicePath p : opened) {
                p.close();
            }
            throw e;
        }
    }

    /**
     * The mount for a device: ctl/paths, ctl/policy, ctl/pr, ctl/status (and any extras), the PR
     * ioctls on disk, and the PR coordinator started and hooked into the device.
     */
    public MountedDevice assemble(Path mountPoint, MultipathDevice device, PrSettings pr) {
        KeysFile keys = new KeysFile(pr.keysFile());
        try {
            keys.verify(); // a keys file we cannot trust stops the start: serving would forget a registration
        } catch (KeysFile.KeysFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        PrCoordinator coordinator = new PrCoordinator(device, keys, pr.aptpl());
        coordinator.start();
        List<ControlFile> files = new ArrayList<>();
        PathsControl paths = new PathsControl(device, opener);
        files.add(paths);
        files.add(new PolicyControl(device));
        files.add(new PrControl(coordinator));
        files.add(new StatusControl(coordinator, device));
        files.addAll(extraControls);
        MountFiles mountFiles = new MountFiles(device, files, access);
        mountFiles.setDiskIoctl(new PrIoctl(coordinator));
        MountedDevice m = new MountedDevice(mountPoint, mountFiles, fuse.create(mountFiles));
        m.closeLater(coordinator);
        if (hotplugWwid != null) {
            m.watchPaths(new io.mpathfs.control.hotplug.HotplugWatch(device, paths, hotplugWwid,
                    io.mpathfs.backends.scsidevice.PathDiscovery.system(), hotplugAllowed));
        }
        return m;
    }

    /** Where our reservation key is kept, and whether REGISTER sets APTPL (as the kernel's sd does). */
    public record PrSettings(Path keysFile, boolean aptpl) {
        public static PrSettings defaults() {
            return new PrSettings(KeysFile.DEFAULT, true);
        }
    }
}
