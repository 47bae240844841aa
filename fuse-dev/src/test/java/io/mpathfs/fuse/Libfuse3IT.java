package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.file.FilePath;
import io.mpathfs.backends.scsi.ScsiChannel;
import io.mpathfs.control.DeviceConfig;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the libfuse3 binding gives that libfuse2 does not, as the daemon sees it: a 1 MiB O_DIRECT
 * IO arrives as one request (libfuse2: eight of 128 KiB), and two direct writers on /disk are in
 * the daemon at the same time (libfuse2: the kernel's inode lock serialises them). Fails — never
 * skips — when libfuse3 is not usable.
 */
class Libfuse3IT {
    private static final int MIB = 1 << 20;

    private static Path image(Path dir) throws Exception {
        Path img = dir.resolve("img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        return img;
    }

    private static MountedDevice mount(FuseLibrary lib, io.mpathfs.control.ctl.PathOpener opener, Path dir, Path img)
            throws Exception {
        MountedDevice m = Mounts.mount(lib, opener, dir.resolve("mpath7"), DeviceConfig.defaults(), img.toString(),
                img.toString());
        assertEquals(lib == FuseLibrary.V3, m.servedByLibfuse3(), "served by the libfuse asked for");
        return m;
    }

    private static void closeAndCheck(MountedDevice m) throws Exception {
        m.close();
        Mounts.assertUnmounted(m.mountPoint());
    }

    @Test
    void libfuse3DeliversOneMebibyteDirectIoAsOneRequest() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-fuse3");
        MountedDevice m = mount(FuseLibrary.V3, FilePath::open, dir, image(dir));
        try {
            DiskRequests r = m.fs().diskRequests();
            String disk = m.mountPoint().resolve("disk").toString();
            long reads = r.reads();
            Sh.ok(30, "dd", "if=" + disk, "of=/dev/null", "bs=1M", "count=1", "skip=3", "iflag=direct");
            assertEquals(1, r.reads() - reads, "one 1 MiB O_DIRECT read is one FUSE read: " + r);
            assertEquals(MIB, r.maxRead(), r.toString());
            long writes = r.writes();
            Sh.ok(30, "dd", "if=/dev/zero", "of=" + disk, "bs=1M", "count=1", "seek=5", "oflag=direct", "conv=notrunc");
            assertEquals(1, r.writes() - writes, "one 1 MiB O_DIRECT write is one FUSE write: " + r);
            assertEquals(MIB, r.maxWrite(), r.toString());
        } finally {
            closeAndCheck(m);
        }
    }

    /** The contrast, so that the test above means something: libfuse2 cuts 1 MiB into 128 KiB. */
    @Test
    void libfuse2CutsOneMebibyteIntoEightRequests() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-fuse2");
        MountedDevice m = mount(FuseLibrary.V2, FilePath::open, dir, image(dir));
        try {
            DiskRequests r = m.fs().diskRequests();
            long reads = r.reads();
            Sh.ok(30, "dd", "if=" + m.mountPoint().resolve("disk"), "of=/dev/null", "bs=1M", "count=1", "skip=3",
                    "iflag=direct");
            assertEquals(8, r.reads() - reads, r.toString());
            assertEquals(128 << 10, r.maxRead(), r.toString());
        } finally {
            closeAndCheck(m);
        }
    }

    /**
     * Two dd processes each write 64 KiB O_DIRECT to /disk. The path holds the first write that
     * reaches it until a second one is in the daemon too: with parallel direct writes the second
     * arrives while the first waits; serialised by the kernel, it cannot arrive until the first
     * returned, and the first one's wait runs out. No timing of speed: the timeout only bounds a
     * failure.
     */
    @Test
    void twoDirectWritersAreInTheDaemonAtOnce() throws Exception {
        Path dir = Files.createTempDirectory("mpathfs-fuse3-par");
        Rendezvous meet = new Rendezvous(2, 32L << 20);
        MountedDevice m = mount(FuseLibrary.V3, spec -> new RendezvousPath(FilePath.open(spec), meet), dir, image(dir));
        try {
            String disk = m.mountPoint().resolve("disk").toString();
            List<Process> writers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                writers.add(new ProcessBuilder("dd", "if=/dev/urandom", "of=" + disk, "bs=64k", "count=1",
                        "seek=" + (512 + i * 16), "oflag=direct", "conv=notrunc").redirectErrorStream(true).start());
            }
            for (Process p : writers) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "dd finished");
                assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
            }
            assertTrue(meet.allMet(), "the first direct write was alone in the daemon for "
                    + Rendezvous.WAIT_SECONDS + " s: the kernel serialised the writers (no FOPEN_PARALLEL_DIRECT_WRITES)");
        } finally {
            closeAndCheck(m);
        }
    }

    /** Writes at or above an offset wait (bounded) until n of them are in progress at once. */
    static final class Rendezvous {
        static final int WAIT_SECONDS = 30;
        private final CountDownLatch arrived;
        private final long from;
        private volatile boolean timedOut;

        Rendezvous(int n, long from) {
            this.arrived = new CountDownLatch(n);
            this.from = from;
        }

        void write(long offset) {
            if (offset < from || arrived.getCount() == 0) {
                return;
            }
            arrived.countDown();
            try {
                if (!arrived.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    timedOut = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                timedOut = true;
            }
        }

        boolean allMet() {
            return !timedOut && arrived.getCount() == 0;
        }
    }

    /** A file path whose writes pass through a Rendezvous first. */
    static final class RendezvousPath implements DevicePath {
        private final DevicePath inner;
        private final Rendezvous meet;

        RendezvousPath(DevicePath inner, Rendezvous meet) {
            this.inner = inner;
            this.meet = meet;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public long sizeBytes() throws PathException {
            return inner.sizeBytes();
        }

        @Override
        public int blockSize() {
            return inner.blockSize();
        }

        @Override
        public void read(long offset, AlignedBuffer buf, int length) throws PathException {
            inner.read(offset, buf, length);
        }

        @Override
        public void write(long offset, AlignedBuffer buf, int length) throws PathException {
            meet.write(offset);
            inner.write(offset, buf, length);
        }

        @Override
        public void flush() throws PathException {
            inner.flush();
        }

        @Override
        public void probe() throws PathException {
            inner.probe();
        }

        @Override
        public String identity() throws PathException {
            return inner.identity();
        }

        @Override
        public Optional<ScsiChannel> scsi() {
            return inner.scsi();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
