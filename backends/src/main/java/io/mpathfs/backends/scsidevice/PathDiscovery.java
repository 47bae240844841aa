package io.mpathfs.backends.scsidevice;

import io.mpathfs.backends.scsi.VpdIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds every SCSI disk (/dev/sdX) that is a path to a given logical unit, by the identifier the
 * kernel exports in sysfs (device/vpd_pg83, else device/wwid) — what multipath does from udev.
 * Accepts the identifier as mpathfs prints it ("naa.6001405…"), as multipath's WWID ("36001405…",
 * NAA with the designator type 3 in front), or as /sys/block/sdX/device/wwid shows it.
 */
public final class PathDiscovery {
    private final Path sysBlock;

    public PathDiscovery(Path sysBlock) {
        this.sysBlock = sysBlock;
    }

    public static PathDiscovery system() {
        return new PathDiscovery(Path.of("/sys/block"));
    }

    /** Block device paths whose LU identifier matches, sorted. */
    public List<String> find(String wwid) throws IOException {
        return find(wwid, name -> true);
    }

    /** Block device paths whose LU identifier matches and whose kernel name (sdX) is allowed, sorted. */
    public List<String> find(String wwid, java.util.function.Predicate<String> allowed) throws IOException {
        String want = normalise(wwid);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(sysBlock)) {
            return out;
        }
        try (Stream<Path> s = Files.list(sysBlock)) {
            for (Path dev : s.sorted().toList()) {
                String name = dev.getFileName().toString();
                if (!name.startsWith("sd") || !allowed.test(name)) {
                    continue;
                }
                Optional<String> id = identityOf(dev);
                if (id.isPresent() && normalise(id.get()).equals(want)) {
                    out.add("/dev/" + name);
                }
            }
        }
        return out;
    }

    /** Every SCSI disk the kernel shows, with what identifies it, sorted by name. */
    public List<BlockDeviceInfo> scan() throws IOException {
        List<BlockDeviceInfo> out = new ArrayList<>();
        if (!Files.isDirectory(sysBlock)) {
            return out;
        }
        try (Stream<Path> s = Files.list(sysBlock)) {
            for (Path dev : s.sorted().toList()) {
                String name = dev.getFileName().toString();
                if (name.startsWith("sd")) {
                    Optional<String> id = identityOf(dev);
                    if (id.isPresent()) {
                        out.add(new BlockDeviceInfo(name, normalise(id.get()), attribute(dev, "device/vendor"),
                                attribute(dev, "device/model"), sectors(dev) * 512, hctl(dev)));
                    }
                }
            }
        }
        return out;
    }

    /** Whether the kernel still shows this disk (sdX) as a path to the LU: false once it is gone or another LU's. */
    public boolean isPathOf(String kernelName, String wwid) {
        Path dev = sysBlock.resolve(kernelName);
        return Files.isDirectory(dev) && identityOf(dev).map(id -> normalise(id).equals(normalise(wwid))).orElse(false);
    }

    /**
     * The LU identifier of a disk node (/dev/sdX) from the VPD page 0x83 the kernel read when it
     * found the disk — no command reaches the device, so a path that is down now still has it.
     * Computed as {@code ScsiDevicePath.identity()} computes it from a fresh page.
     */
    public Optional<String> scannedIdentity(String devNode) {
        Path dev = sysBlock.resolve(Path.of(devNode).getFileName().toString());
        try {
            Path pg83 = dev.resolve("device/vpd_pg83");
            return Files.isReadable(pg83) ? VpdIdentity.fromDeviceIdentification(Files.readAllBytes(pg83)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether a disk node (/dev/sdX) is a SCSI disk: the kernel gave it a SCSI generic node. */
    public boolean isScsiDisk(String devNode) {
        return Files.isDirectory(sysBlock.resolve(Path.of(devNode).getFileName().toString()).resolve("device/scsi_generic"));
    }

    private static String attribute(Path dev, String name) {
        try {
            return Files.readString(dev.resolve(name)).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static long sectors(Path dev) {
        try {
            return Long.parseLong(attribute(dev, "size"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** host:channel:target:lun, the name of the SCSI device the disk belongs to. */
    private static String hctl(Path dev) {
        try {
            return dev.resolve("device").toRealPath().getFileName().toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static Optional<String> identityOf(Path dev) {
        try {
            Path pg83 = dev.resolve("device/vpd_pg83");
            if (Files.isReadable(pg83)) {
                Optional<String> id = VpdIdentity.fromDeviceIdentification(Files.readAllBytes(pg83));
                if (id.isPresent()) {
                    return id;
                }
            }
            Path wwid = dev.resolve("device/wwid");
            if (Files.isReadable(wwid)) {
                return Optional.of(Files.readString(wwid).strip());
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable device is not a match
        }
        return Optional.empty();
    }

    /** "naa.6001…", "36001…" (multipath WWID) and "NAA.6001…" all become "naa.6001…". */
    public static String normalise(String id) {
        String s = id.strip().toLowerCase(Locale.ROOT);
        if (s.matches("3([0-9a-f]{16}|[0-9a-f]{32})")) { // NAA 5 (8 bytes) or NAA 6 (16 bytes)
            return "naa." + s.substring(1);
        }
        return s;
    }
}
