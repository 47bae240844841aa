package io.mpathfs.fuse.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who owns the mount's files, as a block device node is owned: {@code disk} is root:GROUP with
 * MODE (default root:disk 0660); the control files are root's (0600), {@code ctl/status} and
 * {@code ctl/paths} readable by the group (0640) for monitoring. The kernel enforces these bits
 * (the mount always carries default_permissions).
 */
public record FileAccess(int gid, int diskMode) {
    public static final String DEFAULT_GROUP = "disk";
    public static final int DEFAULT_MODE = 0660;

    public FileAccess {
        if ((diskMode & ~0777) != 0) {
            throw new IllegalArgumentException("--mode must be an octal permission mode (0000..0777), not "
                    + Integer.toOctalString(diskMode));
        }
        if (gid < 0) {
            throw new IllegalArgumentException("group id must be >= 0");
        }
    }

    /** root:disk 0660, or root:root where the system has no disk group. */
    public static FileAccess defaults() {
        Integer disk = lookupGroup(DEFAULT_GROUP, Path.of("/etc/group"));
        return new FileAccess(disk == null ? 0 : disk, DEFAULT_MODE);
    }

    /** From the --group and --mode options: a group name or number, an octal mode like 0660. */
    public static FileAccess parse(String group, String mode) {
        Integer gid = group.chars().allMatch(Character::isDigit) && !group.isEmpty()
                ? Integer.valueOf(group) : lookupGroup(group, Path.of("/etc/group"));
        if (gid == null) {
            throw new IllegalArgumentException("--group: no group '" + group + "' in /etc/group");
        }
        int m;
        try {
            m = Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mode must be an octal permission mode like 0660, not '" + mode + "'");
        }
        return new FileAccess(gid, m);
    }

    /** The numeric id of a group named in an /etc/group-format file, or null. */
    static Integer lookupGroup(String name, Path groupFile) {
        try {
            for (String line : Files.readAllLines(groupFile)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[0].equals(name)) {
                    return Integer.valueOf(f[2]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
