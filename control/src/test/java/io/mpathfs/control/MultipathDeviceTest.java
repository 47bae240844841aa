package io.mpathfs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.PathException;
import io.mpathfs.control.testsupport.ScriptedPath;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MultipathDeviceTest {
    static final int SIZE = 1 << 20;
    byte[] lu;
    ScriptedPath a;
    ScriptedPath b;
    MultipathDevice dev;
    AlignedBuffer buf;

    @BeforeEach
    void setUp() throws Exception {
        lu = new byte[SIZE];
        a = new ScriptedPath("a", lu, "naa.1");
        b = new ScriptedPath("b", lu, "naa.1");
        dev = device(NoPathRetry.FAIL, a, b);
        buf = AlignedBuffer.allocate(65536);
    }

    MultipathDevice device(NoPathRetry npr, DevicePath... paths) throws PathException {
        return new MultipathDevice("t", List.of(paths), new DeviceConfig("round-robin", Duration.ofMillis(50), npr));
    }

    @AfterEach
    void tearDown() {
        buf.close();
    }

    @Test
    void pathFailureFailsThePathAndRetriesTheSameIoElsewhere() throws Exception {
        a.always = ErrorClass.PATH_FAILURE;
        b.always = null;
        for (int i = 0; i < 4; i++) {
            dev.read(0, buf, 4096);
        }
        assertEquals(PathState.FAILED, dev.find("a").state());
        assertEquals(PathState.ACTIVE, dev.find("b").state());
        assertEquals(4, b.reads.get(), "every IO completed on the survivor");
        assertEquals(1, dev.find("a").errorCount());
    }

    @Test
    void reservationConflictIsEbadeAndNotAPathFailure() {
        a.always = ErrorClass.RESERVATION_CONFLICT;
        b.always = ErrorClass.RESERVATION_CONFLICT;
        AtomicInteger told = new AtomicInteger();
        dev.setLifecycle(new PathLifecycle() {
            @Override
            public void reservationConflict(PathEntry path, boolean write) {
                told.incrementAndGet();
            }
        });
        DeviceIoException e = assertThrows(DeviceIoException.class, () -> dev.write(0, buf, 512));
        assertEquals(Errno.EBADE, e.errno());
        assertEquals(1, told.get(), "the coordinator hears of the conflict");
        assertEquals(PathState.ACTIVE, dev.find("a").state());
        assertEquals(PathState.ACTIVE, dev.find("b").state());
    }

    @Test
    void retryClassRetriesThenFailsThePathWhenItNeverClears() throws Exception {
        a.nextErrors.add(ErrorClass.RETRY);
        a.nextErrors.add(ErrorClass.RETRY);
        dev.setPolicy("failover");
        dev.read(0, buf, 512);
        assertEquals(1, a.reads.get(), "UNIT ATTENTION-like errors retried on the same path");
        assertEquals(PathState.ACTIVE, dev.find("a").state());
        a.always = ErrorClass.RETRY;
        dev.read(0, buf, 512);
        assertEquals(PathState.FAILED, dev.find("a").state(), "endless retries count as a path failure");
        assertEquals(1, b.reads.get());
    }

    @Test
    void targetErrorGoesToTheCallerAndThePathStays() {
        a.always = ErrorClass.TARGET_ERROR;
        dev.setPolicy("failover");
        DeviceIoException e = assertThrows(DeviceIoException.class, () -> dev.read(0, buf, 512));
        assertEquals(Errno.ENODATA, e.errno());
        assertEquals(PathState.ACTIVE, dev.find("a").state());
        assertEquals(0, b.reads.get(), "a medium error is not retried on another path");
    }

    @Test
    void noPathFailsAtOnceWithEioUnderFail() {
        a.always = ErrorClass.PATH_FAILURE;
        b.always = ErrorClass.PATH_FAILURE;
        long t0 = System.nanoTime();
        DeviceIoException e = assertThrows(DeviceIoException.class, () -> dev.read(0, buf, 512));
        assertEquals(Errno.EIO, e.errno());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void queuedIoFailsWithEioAfterTheRetryBudget() throws Exception {
        MultipathDevice d = device(new NoPathRetry(4), a);
        a.always = ErrorClass.PATH_FAILURE;
        long t0 = System.nanoTime();
        DeviceIoException e = assertThrows(DeviceIoException.class, () -> d.read(0, buf, 512));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(Errno.EIO, e.errno());
        assertTrue(ms >= 190, "queued for 4 x 50 ms before failing, took " + ms + " ms");
    }

    @Test
    void queuedIoResumesWhenTheCheckerReinstatesAPath() throws Exception {
        MultipathDevice d = device(NoPathRetry.QUEUE, a);
        a.always = ErrorClass.PATH_FAILURE;
        a.probeFails = true;
        PathChecker checker = new PathChecker(d);
        checker.start();
        try (AlignedBuffer b2 = AlignedBuffer.allocate(4096)) {
            CompletableFuture<Void> io = CompletableFuture.runAsync(() -> {
                try {
                    d.read(0, b2, 512);
                } catch (DeviceIoException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(io.isDone(), "IO is queued while no path works");
            assertEquals(PathState.FAILED, d.find("a").state());
            a.always = null;
            a.probeFails = false;
            io.get(5, TimeUnit.SECONDS);
            assertEquals(PathState.ACTIVE, d.find("a").state(), "the checker reinstated the path");
        } finally {
            checker.close();
        }
    }

    @Test
    void checkerFailsDeadPathsLeavesAdminFailedAloneAndAsksBeforeReinstating() throws Exception {
        PathChecker checker = new PathChecker(dev);
        a.probeFails = true;
        checker.checkAll();
        assertEquals(PathState.FAILED, dev.find("a").state());
        dev.adminFail("b");
        checker.checkAll();
        assertEquals(PathState.FAILED, dev.find("b").state(), "admin-failed paths stay failed");
        AtomicInteger asked = new AtomicInteger();
        dev.setLifecycle(new PathLifecycle() {
            @Override
            public boolean beforeReinstate(PathEntry path) {
                asked.incrementAndGet();
                return false; // e.g. registration failed
            }
        });
        a.probeFails = false;
        checker.checkAll();
        assertEquals(1, asked.get());
        assertEquals(PathState.FAILED, dev.find("a").state(), "not reinstated without the coordinator's yes");
        dev.setLifecycle(null);
        checker.checkAll();
        assertEquals(PathState.ACTIVE, dev.find("a").state());
        dev.adminReinstate("b");
        assertEquals(PathState.ACTIVE, dev.find("b").state());
    }

    @Test
    void aPathToAnotherLuIsRefusedNamingBothIdentifiers() throws Exception {
        ScriptedPath other = new ScriptedPath("x", new byte[SIZE], "naa.2");
        PathException e = assertThrows(PathException.class, () -> dev.addPath(other));
        assertTrue(e.getMessage().contains("naa.2") && e.getMessage().contains("naa.1"), e.getMessage());
        assertThrows(PathException.class, () -> device(NoPathRetry.FAIL, a, other));
        assertEquals(2, dev.paths().size());
        ScriptedPath same = new ScriptedPath("c", lu, "naa.1");
        dev.addPath(same);
        assertEquals(PathState.ACTIVE, dev.find("c").state());
    }

    @Test
    void removeWaitsForInFlightIo() throws Exception {
        a.latencyMs = 300;
        dev.setPolicy("failover");
        CompletableFuture<Void> io = CompletableFuture.runAsync(() -> {
            try (AlignedBuffer b2 = AlignedBuffer.allocate(4096)) {
                dev.read(0, b2, 512);
            } catch (DeviceIoException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        dev.removePath("a");
        assertTrue(io.isDone(), "remove returned only after the in-flight IO completed");
        io.get();
        assertEquals(1, dev.paths().size());
    }

    @Test
    void suspendedGateHoldsNewIoAndWaitsForInFlight() throws Exception {
        IoGate gate = dev.gate();
        gate.suspend();
        CompletableFuture<Void> io = CompletableFuture.runAsync(() -> {
            try (AlignedBuffer b2 = AlignedBuffer.allocate(4096)) {
                dev.read(0, b2, 512);
            } catch (DeviceIoException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(io.isDone(), "IO waits at a suspended gate");
        gate.resume();
        io.get(5, TimeUnit.SECONDS);
        // In-flight IO is drained by suspend().
        a.latencyMs = 300;
        b.latencyMs = 300;
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> {
            try (AlignedBuffer b2 = AlignedBuffer.allocate(4096)) {
                dev.read(0, b2, 512);
            } catch (DeviceIoException e) {
                throw new RuntimeException(e);
            }
        });
        // Suspend only once the IO is in flight on a path (not after a guessed delay: a loaded
        // machine may not have started it yet, and then suspend would rightly not wait for it).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (dev.paths().stream().mapToInt(PathEntry::inFlight).sum() == 0 && !slow.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the read never reached a path");
            Thread.sleep(1);
        }
        long ioBefore = dev.paths().stream().mapToLong(PathEntry::ioCount).sum();
        gate.suspend();
        // The IO has left the gate: its path finished it (the future itself completes a moment
        // later, on the reading thread, which is not what suspend waits for).
        assertEquals(0, dev.paths().stream().mapToInt(PathEntry::inFlight).sum(), "no IO in flight after suspend");
        assertEquals(ioBefore + 1, dev.paths().stream().mapToLong(PathEntry::ioCount).sum(),
                "suspend returned after the in-flight read completed");
        gate.resume();
        slow.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aFailedPathThatAnswersAgainIsTriedBeforeIoFailsForLackOfPaths() throws Exception {
        // b failed earlier and is back, but the checker has not run since; then a fails too.
        b.always = ErrorClass.PATH_FAILURE;
        dev.read(0, buf, 4096);
        dev.read(0, buf, 4096);
        assertEquals(PathState.FAILED, dev.find("b").state());
        b.always = null;
        a.always = ErrorClass.PATH_FAILURE;
        dev.read(0, buf, 4096); // no_path_retry fail: without the last-resort probe this is EIO
        assertEquals(PathState.ACTIVE, dev.find("b").state(), "b reinstated by the last-resort probe");
        assertEquals(PathState.FAILED, dev.find("a").state());
    }

    @Test
    void aPathThatAnswersProbesButFailsIoEndsInEioNotALoop() {
        a.always = ErrorClass.PATH_FAILURE;
        b.always = ErrorClass.PATH_FAILURE;
        DeviceIoException e = assertThrows(DeviceIoException.class, () -> dev.read(0, buf, 4096));
        assertEquals(Errno.EIO, e.errno());
    }

    @Test
    void adminFailedPathsAreNotProbedBackByIo() throws Exception {
        dev.adminFail("b");
        a.always = ErrorClass.PATH_FAILURE;
        assertThrows(DeviceIoException.class, () -> dev.read(0, buf, 4096));
        assertEquals(PathState.FAILED, dev.find("b").state(), "fail DEV holds until reinstate DEV");
    }

    @Test
    void flushGoesToThePathsWritesMayTakeNow() throws Exception {
        // A lifecycle that routes writes to a only, as the PR coordinator does for a WE/EA holder;
        // b would answer a flush with a reservation conflict.
        b.always = ErrorClass.RESERVATION_CONFLICT;
        dev.setLifecycle(new PathLifecycle() {
            @Override
            public List<PathEntry> route(List<PathEntry> usable, boolean write) {
                return write ? usable.stream().filter(p -> p.name().equals("a")).toList() : usable;
            }
        });
        dev.flush();
        assertEquals(1, a.flushes.get());
        assertEquals(0, b.flushes.get());
    }

    @Test
    void aPathGivenTwiceIsRefused() {
        ScriptedPath again = new ScriptedPath("a", lu, "naa.1");
        PathException e = assertThrows(PathException.class, () -> device(NoPathRetry.FAIL, a, again));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("given twice"), e.getMessage());
    }

    @Test
    void capacityComesFromAnyPathThatAnswersAtStart() throws Exception {
        ScriptedPath conflicted = new ScriptedPath("c", lu, "naa.1") {
            @Override
            public long sizeBytes() throws PathException {
                throw new PathException(ErrorClass.RESERVATION_CONFLICT, Errno.EBADE, "c: READ CAPACITY conflict");
            }
        };
        MultipathDevice d = device(NoPathRetry.FAIL, conflicted, a);
        assertEquals(SIZE, d.size());
        assertEquals(2, d.paths().size(), "the conflicted path is the same LU, kept");
    }
}
