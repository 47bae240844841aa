package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The daemon mounts and leaves no stale mount on SIGINT, SIGTERM, "mpathfs umount" and SIGKILL + remount. */
class DaemonLifecycleIT {

    @Test
    void demoMountsAndCtrlCUnmounts() throws Exception {
        Path mnt = Files.createTempDirectory("mpathfs-demo").resolve("mpath9");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "demo", "--paths", "2", "--size", "64M", mnt.toString())) {
            assertEquals(64L << 20, Files.size(mnt.resolve("disk")));
            assertEquals(2, Mounts.read(mnt.resolve("ctl/paths")).lines().count());
            Sh.ok(30, "dd", "if=/dev/urandom", "of=" + mnt.resolve("disk"), "bs=64k", "count=8", "conv=notrunc,fsync");
            d.signal("INT");
            assertTrue(d.awaitExit(30), "daemon exits on SIGINT:\n" + d.log());
            assertEquals(0, d.process.exitValue(), d.log());
            Mounts.assertUnmounted(mnt);
        }
    }

    @Test
    void sigtermAndUmountCommandLeaveNoMount() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-life");
        Path img = dir.resolve("img");
        Files.write(img, new byte[1 << 20]);
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "mount", mnt.toString(), img.toString())) {
            d.signal("TERM");
            assertTrue(d.awaitExit(30), d.log());
            Mounts.assertUnmounted(mnt);
        }
        try (Mounts.Daemon d = Mounts.daemon(mnt, "mount", mnt.toString(), img.toString())) {
            Sh.ok(60, Mounts.launcher().toString(), "umount", mnt.toString());
            assertTrue(d.awaitExit(30), "daemon exits after mpathfs umount:\n" + d.log());
            Mounts.assertUnmounted(mnt);
        }
        Sh.Result notMounted = Sh.run(60, Mounts.launcher().toString(), "umount", mnt.toString());
        assertEquals(32, notMounted.rc(), notMounted.out());
        assertTrue(notMounted.out().contains("not an mpathfs mount"), notMounted.out());
    }

    @Test
    void killedDaemonsStaleMountIsClearedByTheNextMount() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-stale");
        Path img = dir.resolve("img");
        Files.write(img, new byte[1 << 20]);
        Path mnt = dir.resolve("m");
        try (Mounts.Daemon d = Mounts.daemon(mnt, "mount", mnt.toString(), img.toString())) {
            d.signal("KILL");
            assertTrue(d.awaitExit(10));
        }
        // The kill left "Transport endpoint is not connected" behind unless close() cleaned it; make sure
        // a stale mount is there to clear by killing a second daemon without cleanup.
        Mounts.Daemon d2 = Mounts.daemon(mnt, "mount", mnt.toString(), img.toString());
        d2.signal("KILL");
        assertTrue(d2.awaitExit(10));
        assertTrue(MountTable.fuseSourceAt(mnt) != null, "stale mount present");
        try (Mounts.Daemon d3 = Mounts.daemon(mnt, "mount", mnt.toString(), img.toString())) {
            assertEquals(1 << 20, Files.size(mnt.resolve("disk")));
            assertTrue(d3.log().contains("stale mount"), d3.log());
        }
        Mounts.assertUnmounted(mnt);
    }
}
