package io.mpathfs.fuse.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who made a FUSE request: the uid, gid and pid (thread id) the kernel puts in every request
 * header. Permission decisions the kernel cannot make from mode bits (PR ioctls, ctl commands) are
 * taken from this, never assumed.
 */
public record Caller(int uid, int gid, int pid) {
    /** CAP_SYS_ADMIN's bit in the capability sets (linux/capability.h). */
    private static final int CAP_SYS_ADMIN = 21;

    public boolean isRoot() {
        return uid == 0;
    }

    /**
     * Whether the calling task has CAP_SYS_ADMIN in its effective set, read from
     * /proc/PID/status. A task that is gone (or a pid we cannot see) has no capabilities.
     */
    public boolean hasCapSysAdmin() {
        if (pid <= 0) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (caps & (1L << CAP_SYS_ADMIN)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    @Override
    public String toString() {
        return "uid " + uid + " gid " + gid + " pid " + pid;
    }
}
