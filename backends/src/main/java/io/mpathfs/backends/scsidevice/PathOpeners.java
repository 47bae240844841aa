package io.mpathfs.backends.scsidevice;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.file.FilePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the backend for a path named on the command line: a SCSI disk (sysfs gives it a SCSI
 * generic node) or a block device that answers SG_IO is a SCSI device path (/dev/sdX, /dev/disk/by-id/..., or /dev/sgN mapped to its block node); any
 * other block device or regular file is a file path (data only, no PR).
 */
public final class PathOpeners {
    private PathOpeners() {
    }

    public static DevicePath open(String spec) throws PathException {
        String dev = blockNodeOf(spec);
        // A SCSI disk by sysfs is one even while its path is down (it answers no INQUIRY then).
        if (dev.startsWith("/dev/") && (PathDiscovery.system().isScsiDisk(dev) || ScsiDevicePath.answersScsi(dev))) {
            try {
                if (Files.getAttribute(Path.of(dev), "unix:mode") instanceof Integer mode
                        && (mode & 0170000) == 0060000) {
                    return ScsiDevicePath.open(dev);
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                // fall back to a file path below
            }
        }
        return FilePath.open(dev);
    }

    /** /dev/sgN → its block node (/dev/sdX) via sysfs; symlinks resolved; anything else as given. */
    static String blockNodeOf(String spec) {
        try {
            Path p = Path.of(spec);
            if (Files.isSymbolicLink(p)) {
                p = p.toRealPath();
            }
            String f = p.getFileName() == null ? "" : p.getFileName().toString();
            if (f.matches("sg\\d+")) {
                Path blocks = Path.of("/sys/class/scsi_generic", f, "device", "block");
                try (var s = Files.list(blocks)) {
                    return s.findFirst().map(b -> "/dev/" + b.getFileName()).orElse(p.toString());
                }
            }
            return p.toString();
        } catch (IOException | RuntimeException e) {
            return spec;
        }
    }
}
