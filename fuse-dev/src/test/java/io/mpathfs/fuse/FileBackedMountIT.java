package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.control.DeviceConfig;
import io.mpathfs.fuse.testsupport.CtlPaths;
import io.mpathfs.fuse.testsupport.LoopDevices;
import io.mpathfs.fuse.testsupport.Mounts;
import io.mpathfs.fuse.testsupport.Sh;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Foundation acceptance: two loop devices over one 256 MiB image, mounted as one multipath device,
 * with real dd, cmp and fio as clients.
 */
class FileBackedMountIT {
    static Path dir;
    static Path image;
    static LoopDevices loops;
    static String loopA;
    static String loopB;
    static MountedDevice mount;
    static Path mnt;

    @BeforeAll
    static void setUp() throws Exception {
        Sh.require("fio", "fio");
        dir = Files.createTempDirectory("mpathfs-it");
        image = dir.resolve("lu.img");
        byte[] pattern = new byte[1 << 20];
        new Random(42).nextBytes(pattern);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(256L << 20);
            f.seek(0);
            f.write(pattern); // some non-zero data so cmp means something
            f.seek(200L << 20);
            f.write(pattern);
        }
        loops = new LoopDevices();
        loopA = loops.attach(image);
        loopB = loops.attach(image);
        mnt = dir.resolve("mpath0");
        mount = Mounts.mountFiles(mnt, DeviceConfig.defaults().withPolicy("round-robin")
                .withCheckerInterval(Duration.ofSeconds(60)), loopA, loopB);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
            Mounts.assertUnmounted(mnt);
        }
        if (loops != null) {
            loops.close();
        }
    }

    @Test
    void diskHasTheDeviceSizeAndStableFsname() throws Exception {
        assertEquals(256L << 20, Files.size(mnt.resolve("disk")));
        assertEquals("mpathfs:mpath0", MountTable.fuseSourceAt(mnt));
        String paths = Mounts.read(mnt.resolve("ctl/paths"));
        assertTrue(paths.contains(loopA + " active") && paths.contains(loopB + " active"), paths);
    }

    @Test
    void diskReadsTheSameBytesAsTheImage() {
        Sh.Result r = Sh.run(120, "cmp", mnt.resolve("disk").toString(), image.toString());
        assertEquals(0, r.rc(), "cmp disk image: " + r.out());
    }

    @Test
    void randomWriteThroughDiskIsInTheImageAndReadsBack() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Path src = dir.resolve("random.bin");
        Files.write(src, data);
        long seek = 37; // in 64 KiB blocks
        Sh.ok(60, "dd", "if=" + src, "of=" + mnt.resolve("disk"), "bs=64k", "seek=" + seek, "conv=notrunc,fsync",
                "status=none");
        Path viaImage = dir.resolve("via-image.bin");
        Sh.ok(60, "dd", "if=" + image, "of=" + viaImage, "bs=64k", "skip=" + seek, "count=48", "iflag=direct",
                "status=none");
        assertArrayEquals(data, Files.readAllBytes(viaImage), "image content after write through disk");
        Path viaDisk = dir.resolve("via-disk.bin");
        Sh.ok(60, "dd", "if=" + mnt.resolve("disk"), "of=" + viaDisk, "bs=64k", "skip=" + seek, "count=48",
                "iflag=direct", "status=none");
        assertArrayEquals(data, Files.readAllBytes(viaDisk), "disk content after write through disk");
    }

    @Test
    void unalignedIoReturnsTheRightBytes() throws Exception {
        Path disk = mnt.resolve("disk");
        long base = 100L << 20;
        // Known background around the target bytes.
        byte[] bg = new byte[4096];
        Arrays.fill(bg, (byte) 'x');
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(base);
            f.write(bg);
        }
        Sh.ok(30, "bash", "-c", "printf 'abc' | dd of=" + disk + " bs=3 seek=" + (base / 3 + 1)
                + " conv=notrunc status=none");
        long at = (base / 3 + 1) * 3;
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            byte[] got = new byte[7];
            f.seek(at - 2);
            f.readFully(got);
            assertEquals("xxabcxx", new String(got));
        }
        // pread at offset 1 through python, a different client than Java's RandomAccessFile.
        byte[] first = new byte[8];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(1);
            f.readFully(first);
        }
        String py = Sh.ok(30, "python3", "-c", "import os;fd=os.open('" + disk + "',os.O_RDONLY);"
                + "print(os.pread(fd,8,1).hex())").trim();
        assertEquals(hex(first), py);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    @Test
    void fioVerifyDirectAndBuffered() {
        for (String direct : new String[] {"1", "0"}) {
            Sh.Result r = Sh.run(300, "fio", "--name=verify", "--verify_state_save=0", "--filename=" + mnt.resolve("disk"),
                    "--direct=" + direct, "--rw=randwrite", "--bsrange=4k-1m", "--size=48m", "--offset=120m",
                    "--verify=crc32c", "--ioengine=psync", "--do_verify=1", "--output-format=normal");
            assertEquals(0, r.rc(), "fio direct=" + direct + ":\n" + r.out());
            assertTrue(r.out().contains("err= 0"), r.out());
        }
    }

    @Test
    void failAndReinstateUnderFioMovesIoWithoutErrors() throws Exception {
        Path fioOut = dir.resolve("fio-failover.out");
        Process fio = new ProcessBuilder("fio", "--name=failover", "--verify_state_save=0", "--filename=" + mnt.resolve("disk"), "--direct=1",
                "--rw=randrw", "--bsrange=4k-256k", "--size=32m", "--offset=160m", "--verify=crc32c",
                "--ioengine=libaio", "--iodepth=8", "--time_based", "--runtime=20")
                .redirectErrorStream(true).redirectOutput(fioOut.toFile()).start();
        try {
            awaitIo(loopA, 50);
            CtlPaths.write(mnt, "paths", "fail " + loopB);
            // IO that was in flight on loopB when it failed may still complete there; count from
            // the moment it has, not from a guess.
            CtlPaths.Row failed = CtlPaths.settled(mnt, loopB);
            assertEquals("failed", failed.state());
            long survivorBefore = CtlPaths.read(mnt).get(loopA).io();
            readDirect(200); // beside fio, so that the check does not depend on fio's pace
            assertTrue(CtlPaths.read(mnt).get(loopA).io() >= survivorBefore + 200, "the survivor carries the IO");
            CtlPaths.Row during = CtlPaths.read(mnt).get(loopB);
            assertEquals(failed.io(), during.io(), "a failed path carries no new IO");
            CtlPaths.write(mnt, "paths", "reinstate " + loopB);
            assertEquals("active", CtlPaths.read(mnt).get(loopB).state());
            readDirect(200);
            assertTrue(CtlPaths.read(mnt).get(loopB).io() >= during.io() + 50, "IO returns to the reinstated path");
        } finally {
            // The next test gets both paths whatever happened here.
            CtlPaths.write(mnt, "paths", "reinstate " + loopB);
            assertTrue(fio.waitFor(120, TimeUnit.SECONDS), "fio finished");
        }
        String out = Files.readString(fioOut);
        assertEquals(0, fio.exitValue(), out);
        assertTrue(out.contains("err= 0"), out);
    }

    private static void readDirect(int blocks) {
        Sh.ok(120, "dd", "if=" + mnt.resolve("disk"), "of=/dev/null", "bs=4k", "count=" + blocks, "skip=1000",
                "iflag=direct");
    }

    /** Waits until a path has carried at least n IOs (fio keeps running meanwhile), bounded. */
    private static void awaitIo(String path, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long io;
        while ((io = CtlPaths.read(mnt).get(path).io()) < n) {
            assertTrue(System.nanoTime() < deadline, path + " carried " + io + " IOs, expected " + n);
            Thread.sleep(20);
        }
    }
}
