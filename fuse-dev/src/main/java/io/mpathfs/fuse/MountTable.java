package io.mpathfs.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads /proc/self/mountinfo: is a FUSE file system mounted at a directory, and which one. */
public final class MountTable {
    private MountTable() {
    }

    /** The fsname ("mpathfs:mpath0") of the FUSE mount at dir, or null when none is mounted there. */
    public static String fuseSourceAt(Path dir) {
        String[] m = topFuseMount(dir);
        return m == null ? null : m[1];
    }

    /** The mount id (first field of mountinfo) of the top FUSE mount at dir, or -1. */
    public static int fuseMountIdAt(Path dir) {
        String[] m = topFuseMount(dir);
        return m == null ? -1 : Integer.parseInt(m[0]);
    }

    /** {mount id, source} of the last (topmost) FUSE mount at dir, or null. */
    private static String[] topFuseMount(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            String[] found = null;
            for (String l : lines) {
                // id parent maj:min root mountpoint opts ... - fstype source superopts
                String[] f = l.split(" ");
                int dash = l.indexOf(" - ");
                if (f.length < 5 || dash < 0) {
                    continue;
                }
                String[] tail = l.substring(dash + 3).split(" ");
                if (unescape(f[4]).equals(target) && tail[0].startsWith("fuse")) {
                    found = new String[] {f[0], tail.length > 1 ? tail[1] : ""};
                }
            }
            return found;
        } catch (IOException e) {
            return null;
        }
    }

    /** The mount points of every mpathfs mount (source "mpathfs:NAME"), in mount order. */
    public static List<Path> mpathfsMounts() {
        List<Path> out = new java.util.ArrayList<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = l.split(" ");
                int dash = l.indexOf(" - ");
                if (f.length < 5 || dash < 0) {
                    continue;
                }
                String[] tail = l.substring(dash + 3).split(" ");
                if (tail[0].startsWith("fuse") && tail.length > 1 && tail[1].startsWith("mpathfs:")) {
                    out.add(Path.of(unescape(f[4])));
                }
            }
        } catch (IOException e) {
            // no mount table: nothing mounted that we can see
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Waits until a FUSE mount appears (true) or disappears (false) at dir; returns whether it got there. */
    public static boolean await(Path dir, boolean mounted, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if ((fuseSourceAt(dir) != null) == mounted) {
                return true;
            }
            Thread.sleep(20);
        }
        return (fuseSourceAt(dir) != null) == mounted;
    }

    /** Lazily unmounts whatever FUSE mount is at dir (a stale one left by a killed daemon). */
    public static boolean unmount(Path dir, boolean lazy) throws IOException, InterruptedException {
        ProcessBuilder pb = lazy ? new ProcessBuilder("fusermount", "-u", "-z", dir.toString())
                : new ProcessBuilder("fusermount", "-u", dir.toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException("fusermount -u " + dir + ": " + out.trim());
        }
        return true;
    }
}
