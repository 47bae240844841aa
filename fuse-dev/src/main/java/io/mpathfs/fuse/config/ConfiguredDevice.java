package io.mpathfs.fuse.config;

import io.mpathfs.control.DeviceConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * One device of the configuration: its alias (the mount point is MOUNT_DIR/ALIAS and the device's
 * name the alias), how its paths are found (every block device of a WWID, watched for paths
 * appearing and disappearing, or a fixed list), and its settings with the defaults applied.
 */
public record ConfiguredDevice(String alias, String wwid, List<String> paths, Path mountPoint, DeviceConfig settings,
        Path keysFile, Blacklist blacklist) {

    public boolean byWwid() {
        return wwid != null;
    }
}
