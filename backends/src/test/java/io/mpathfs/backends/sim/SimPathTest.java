package io.mpathfs.backends.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
import io.mpathfs.backends.pr.PrOut;
import io.mpathfs.backends.pr.PrType;
import io.mpathfs.backends.scsi.Cdb;
import io.mpathfs.backends.scsi.Direction;
import io.mpathfs.backends.scsi.ScsiResult;
import io.mpathfs.backends.scsi.ScsiStatus;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** This host's paths: data through CDBs, conflicts and transport faults classified, identity from VPD. */
class SimPathTest {
    private static SimTarget target(int ports, int blockSize) throws Exception {
        return SimTarget.create(SimConfig.builder().capacityBytes(64L << 20).blockSize(blockSize).targetPorts(ports)
                .build());
    }

    @Test
    void dataRoundTripAcrossPaths() throws Exception {
        try (SimTarget t = target(2, 512); AlignedBuffer out = AlignedBuffer.allocate(3 << 20);
             AlignedBuffer in = AlignedBuffer.allocate(3 << 20)) {
            byte[] pattern = new byte[3 << 20]; // more than one command's worth (1 MiB each)
            new Random(7).nextBytes(pattern);
            out.put(0, pattern, 0, pattern.length);
            t.path(0).write(4096, out, pattern.length);
            t.path(1).read(4096, in, pattern.length);
            byte[] back = new byte[pattern.length];
            in.get(0, back, 0, back.length);
            assertArrayEquals(pattern, back);
            t.path(1).flush();
            t.path(0).probe();
        }
    }

    @Test
    void sizeBlockSizeAndIdentity() throws Exception {
        try (SimTarget t = target(2, 4096)) {
            assertEquals(64L << 20, t.path(0).sizeBytes());
            assertEquals(4096, t.path(1).blockSize());
            String id = t.path(0).identity();
            assertTrue(id.matches("naa\\.6001405[0-9a-f]{25}"), id);
            assertEquals(id, t.path(1).identity());
            assertEquals(id, t.identity());
            assertEquals("sim:1", t.path(0).name());
            assertTrue(t.path(0).scsi().isPresent());
        }
    }

    @Test
    void identityIsUniquePerLuAndFollowsTheSerial() throws Exception {
        try (SimTarget a = target(1, 512); SimTarget b = target(1, 512);
             SimTarget c = SimTarget.create(SimConfig.builder().capacityBytes(1 << 20)
                     .unitSerial("0123456789abcdef0123456789abcdef").build())) {
            assertTrue(!a.path(0).identity().equals(b.path(0).identity()));
            assertEquals("naa.60014050123456789abcdef012345678", c.path(0).identity());
        }
    }

    @Test
    void reservationConflictIsNotAPathFailure() throws Exception {
        try (SimTarget t = target(2, 512); AlignedBuffer buf = AlignedBuffer.allocate(4096)) {
            ScsiChannel a1 = t.path(0).scsi().orElseThrow();
            retryGood(a1, PrOut.register(0, 0xa, true, false));
            retryGood(a1, PrOut.reserve(0xa, PrType.EXCLUSIVE_ACCESS));
            t.path(0).read(0, buf, 4096);
            PathException e = assertThrows(PathException.class, () -> t.path(1).read(0, buf, 4096));
            assertEquals(ErrorClass.RESERVATION_CONFLICT, e.errorClass());
            assertEquals(Errno.EBADE, e.errno());
            assertTrue(e.isReservationConflict());
            e = assertThrows(PathException.class, () -> t.path(1).write(0, buf, 4096));
            assertEquals(ErrorClass.RESERVATION_CONFLICT, e.errorClass());
            t.path(1).probe(); // TEST UNIT READY is always allowed
        }
    }

    @Test
    void offlineIsAPathFailure() throws Exception {
        try (SimTarget t = target(2, 512); AlignedBuffer buf = AlignedBuffer.allocate(4096)) {
            t.path(1).nexus().setOnline(false);
            PathException e = assertThrows(PathException.class, () -> t.path(1).read(0, buf, 4096));
            assertEquals(ErrorClass.PATH_FAILURE, e.errorClass());
            assertTrue(e.isPathFailure());
            e = assertThrows(PathException.class, () -> t.path(1).scsi().orElseThrow()
                    .execute(Cdb.testUnitReady(), Direction.NONE, null, 1000));
            assertEquals(ErrorClass.PATH_FAILURE, e.errorClass());
            assertThrows(PathException.class, () -> t.path(1).probe());
            assertThrows(PathException.class, () -> t.path(1).identity());
            t.path(0).read(0, buf, 4096); // the other path is fine
            t.path(1).nexus().setOnline(true);
            t.path(1).probe();
        }
    }

    @Test
    void unitAttentionIsRetriedAndReported() throws Exception {
        try (SimTarget t = target(2, 512); AlignedBuffer buf = AlignedBuffer.allocate(512)) {
            List<String> seen = new ArrayList<>();
            DevicePath p = t.path(1);
            p.setEventListener((path, asc, ascq) -> seen.add(path.name() + " " + String.format("%02x/%02x", asc, ascq)));
            p.read(0, buf, 512); // the first command meets 29/00, retried transparently
            assertEquals(List.of("sim:2 29/00"), seen);
            ScsiChannel b1 = t.nexus("B", 1);
            retryGood(t.path(1).scsi().orElseThrow(), PrOut.register(0, 0xa, false, false));
            retryGood(b1, PrOut.register(0, 0xb, false, false));
            retryGood(b1, PrOut.preempt(0xb, 0xa, PrType.WRITE_EXCLUSIVE));
            p.read(0, buf, 512);
            assertEquals(List.of("sim:2 29/00", "sim:2 2a/05"), seen);
        }
    }

    @Test
    void latencyDelaysAndTimesOut() throws Exception {
        try (SimTarget t = target(1, 512)) {
            SimNexus n = t.path(0).nexus();
            t.path(0).probe();
            n.setLatencyMs(150);
            long start = System.nanoTime();
            t.path(0).probe();
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(140));
            PathException e = assertThrows(PathException.class,
                    () -> n.execute(Cdb.testUnitReady(), Direction.NONE, null, 50));
            assertEquals(ErrorClass.PATH_FAILURE, e.errorClass());
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> n.setLatencyMs(-1));
        }
    }

    /** A command waiting in the task set of a preempted nexus ends with TASK ABORTED on PREEMPT AND ABORT. */
    @Test
    void preemptAndAbortAbortsWaitingCommands() throws Exception {
        try (SimTarget t = target(2, 512)) {
            ScsiChannel a1 = t.nexus("A", 1);
            SimNexus b1 = t.nexus("B", 1);
            retryGood(a1, PrOut.register(0, 0xa, false, false));
            retryGood(b1, PrOut.register(0, 0xb, false, false));
            b1.setLatencyMs(400);
            CompletableFuture<ScsiResult> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return b1.execute(Cdb.write16(0, 1), Direction.TO_DEVICE, new byte[512], 5000);
                } catch (PathException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            retryGood(a1, PrOut.preemptAndAbort(0xa, 0xb, PrType.EXCLUSIVE_ACCESS));
            assertEquals(ScsiStatus.TASK_ABORTED, waiting.get(5, TimeUnit.SECONDS).status());
            // The next command from B1 learns why.
            b1.setLatencyMs(0);
            assertEquals(0x2a, b1.execute(Cdb.testUnitReady(), Direction.NONE, null, 1000).asc());
        }
    }

    @Test
    void plainPreemptDoesNotAbort() throws Exception {
        try (SimTarget t = target(2, 512)) {
            ScsiChannel a1 = t.nexus("A", 1);
            SimNexus b1 = t.nexus("B", 1);
            retryGood(a1, PrOut.register(0, 0xa, false, false));
            retryGood(b1, PrOut.register(0, 0xb, false, false));
            b1.setLatencyMs(300);
            CompletableFuture<ScsiResult> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return b1.execute(Cdb.testUnitReady(), Direction.NONE, null, 5000);
                } catch (PathException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(80);
            retryGood(a1, PrOut.preempt(0xa, 0xb, PrType.EXCLUSIVE_ACCESS));
            ScsiResult r = waiting.get(5, TimeUnit.SECONDS);
            assertEquals(0x2a, r.asc(), r.describe()); // it runs, and meets the unit attention
        }
    }

    @Test
    void unalignedAndClosed() throws Exception {
        try (SimTarget t = target(1, 512); AlignedBuffer buf = AlignedBuffer.allocate(4096)) {
            PathException e = assertThrows(PathException.class, () -> t.path(0).read(100, buf, 512));
            assertEquals(ErrorClass.TARGET_ERROR, e.errorClass());
            assertEquals(Errno.EINVAL, e.errno());
            e = assertThrows(PathException.class, () -> t.path(0).read((64L << 20), buf, 512));
            assertEquals(ErrorClass.TARGET_ERROR, e.errorClass()); // LBA out of range: the caller's error
            t.path(0).close();
            e = assertThrows(PathException.class, () -> t.path(0).probe());
            assertEquals(ErrorClass.PATH_FAILURE, e.errorClass());
        }
    }

    @Test
    void pathAddedAtRunTime() throws Exception {
        try (SimTarget t = target(2, 512)) {
            List<String> heard = new ArrayList<>();
            t.setPathAddedListener(added -> heard.add(added.name()));
            SimPath p = t.addPath();
            assertEquals(List.of("sim:3"), heard);
            assertEquals(p, t.path("sim:3").orElseThrow());
            assertTrue(t.path("sim:10").isEmpty());
            assertEquals("sim:3", p.name());
            assertEquals(3, t.targetPortCount());
            assertEquals(3, p.nexus().id().targetPort());
            assertEquals(t.path(0).identity(), p.identity());
            assertEquals(3, t.paths().size());
        }
    }

    @Test
    void aOneGibLuCostsOnlyWhatIsWritten() throws Exception {
        try (SimTarget t = SimTarget.create(SimConfig.builder().build()); AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            assertEquals(1L << 30, t.path(0).sizeBytes());
            t.path(0).write((1L << 30) - 4096, b, 4096);
            t.path(0).write(0, b, 4096);
            assertTrue(t.logicalUnit().allocatedBytes() <= 2 * MemoryBlockStore.CHUNK);
        }
    }

    private static void retryGood(ScsiChannel ch, PrOut.Request r) throws PathException {
        ScsiResult res;
        int tries = 0;
        do {
            res = ch.execute(r.cdb(), Direction.TO_DEVICE, r.params(), 5000);
        } while (res.isUnitAttention() && ++tries < 5);
        assertTrue(res.isGood(), res.describe());
    }
}
