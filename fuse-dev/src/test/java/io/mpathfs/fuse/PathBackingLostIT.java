package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.control.DeviceConfig;
import io.mpathfs.fuse.testsupport.CtlPaths;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The backing of a path disappears under load. Each path of the outer device is the disk of an
 * inner mpathfs daemon over the same image; SIGKILL of an inner daemon makes its path fail with
 * ENOTCONN for good, as a vanished device node would. Also: no path left → EIO, the daemon stays
 * up, and IO works again after the backing returns and the path is reinstated.
 */
class PathBackingLostIT {

    @Test
    void losingBackingsFailsPathsThenEioThenReinstateRecovers() throws Exception {
        Sh.require("fio", "fio");
        Path dir = Files.createTempDirectory("mpathfs-lost");
        Path image = dir.resolve("lu.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Path in1 = dir.resolve("inner1");
        Path in2 = dir.resolve("inner2");
        Path outer = dir.resolve("outer");
        String p1 = in1.resolve("disk").toString();
        String p2 = in2.resolve("disk").toString();
        Mounts.Daemon d1 = Mounts.daemon(in1, "mount", in1.toString(), image.toString());
        Mounts.Daemon d2 = Mounts.daemon(in2, "mount", in2.toString(), image.toString());
        MountedDevice m = null;
        try {
            // The inner disks name their LU through user.mpathfs.identity, so they are accepted as one LU.
            m = Mounts.mountFiles(outer, DeviceConfig.defaults().withPolicy("round-robin")
                    .withCheckerInterval(Duration.ofSeconds(600)), p1, p2);
            Path disk = outer.resolve("disk");
            Path fioOut = dir.resolve("fio.out");
            Process fio = new ProcessBuilder("fio", "--name=lost", "--verify_state_save=0", "--filename=" + disk, "--direct=1",
                    "--rw=randrw", "--bs=64k", "--size=32m", "--verify=crc32c", "--ioengine=psync",
                    "--time_based", "--runtime=6").redirectErrorStream(true).redirectOutput(fioOut.toFile()).start();
            Thread.sleep(2000);
            d2.signal("KILL");
            assertTrue(d2.awaitExit(10), "inner daemon 2 died");
            assertTrue(fio.waitFor(60, TimeUnit.SECONDS));
            String out = Files.readString(fioOut);
            assertEquals(0, fio.exitValue(), out);
            assertTrue(out.contains("err= 0"), out);
            var rows = CtlPaths.read(outer);
            assertEquals("failed", rows.get(p2).state(), "the path whose backing vanished failed");
            assertEquals("active", rows.get(p1).state());
            assertTrue(rows.get(p2).errors() > 0);

            // Both backings gone: IO fails with EIO, the daemon stays up.
            d1.signal("KILL");
            assertTrue(d1.awaitExit(10), "inner daemon 1 died");
            Sh.Result dd = Sh.run(30, "dd", "if=" + disk, "of=/dev/null", "bs=4k", "count=1", "iflag=direct");
            assertNotEquals(0, dd.rc());
            assertTrue(dd.out().contains("Input/output error"), dd.out());
            rows = CtlPaths.read(outer);
            assertEquals("failed", rows.get(p1).state());

            // The backing returns (a new daemon over a stale mount point); reinstate by command.
            d1 = Mounts.daemon(in1, "mount", in1.toString(), image.toString());
            CtlPaths.write(outer, "paths", "reinstate " + p1);
            assertEquals("active", CtlPaths.read(outer).get(p1).state());
            Sh.ok(30, "dd", "if=" + disk, "of=/dev/null", "bs=64k", "count=16", "iflag=direct");
            Sh.ok(30, "dd", "if=/dev/zero", "of=" + disk, "bs=64k", "count=16", "oflag=direct", "conv=notrunc");
        } finally {
            if (m != null) {
                m.close();
                Mounts.assertUnmounted(outer);
            }
            d1.close();
            d2.close();
        }
    }
}
