package io.mpathfs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.control.policy.PathSelectors;
import io.mpathfs.control.testsupport.ScriptedPath;
import io.mpathfs.nativeshim.AlignedBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Each policy's path choice, under concurrent load where it matters. */
class PolicyTest {
    byte[] lu = new byte[1 << 20];

    MultipathDevice device(String policy, ScriptedPath... paths) throws Exception {
        return new MultipathDevice("p", List.of(paths), new DeviceConfig(policy, Duration.ofSeconds(5), NoPathRetry.FAIL));
    }

    /** Runs n reads from `threads` threads at once. */
    static void load(MultipathDevice d, int threads, int perThread) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(ex.submit(() -> {
                try (AlignedBuffer b = AlignedBuffer.allocate(4096)) {
                    for (int i = 0; i < perThread; i++) {
                        d.read(0, b, 4096);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        ex.shutdown();
    }

    @Test
    void roundRobinSpreadsEvenly() throws Exception {
        ScriptedPath a = new ScriptedPath("a", lu, "id");
        ScriptedPath b = new ScriptedPath("b", lu, "id");
        ScriptedPath c = new ScriptedPath("c", lu, "id");
        load(device("round-robin", a, b, c), 1, 300);
        assertEquals(100, a.reads.get());
        assertEquals(100, b.reads.get());
        assertEquals(100, c.reads.get());
    }

    @Test
    void queueLengthAvoidsTheSlowPathUnderLoad() throws Exception {
        ScriptedPath slow = new ScriptedPath("slow", lu, "id");
        ScriptedPath fast = new ScriptedPath("fast", lu, "id");
        slow.latencyMs = 30;
        fast.latencyMs = 1;
        // Queue length is not throughput-aware: the slow path still gets IO whenever its queue is
        // the shorter one, but its IOs stay queued longer, so it gets far fewer.
        load(device("queue-length", slow, fast), 4, 25);
        assertTrue(fast.reads.get() > 2 * slow.reads.get(),
                "fast path carries most IO: fast=" + fast.reads.get() + " slow=" + slow.reads.get());
    }

    @Test
    void serviceTimePrefersTheHigherThroughputPath() throws Exception {
        ScriptedPath slow = new ScriptedPath("slow", lu, "id");
        ScriptedPath fast = new ScriptedPath("fast", lu, "id");
        slow.latencyMs = 15;
        fast.latencyMs = 1;
        load(device("service-time", slow, fast), 3, 30);
        assertTrue(fast.reads.get() > 3 * slow.reads.get(),
                "fast=" + fast.reads.get() + " slow=" + slow.reads.get());
        assertTrue(slow.reads.get() > 0, "service-time still measures the slow path");
    }

    @Test
    void failoverUsesOnePathUntilItFailsAndDoesNotFailBack() throws Exception {
        ScriptedPath a = new ScriptedPath("a", lu, "id");
        ScriptedPath b = new ScriptedPath("b", lu, "id");
        MultipathDevice d = device("failover", a, b);
        load(d, 2, 20);
        assertEquals(40, a.reads.get());
        assertEquals(0, b.reads.get());
        d.adminFail("a");
        load(d, 1, 10);
        assertEquals(10, b.reads.get());
        d.adminReinstate("a");
        load(d, 1, 10);
        assertEquals(20, b.reads.get(), "no failback ping-pong: IO stays on the current path");
    }

    @Test
    void policiesAreSelectableByNameAndUnknownNamesAreRefused() throws Exception {
        ScriptedPath a = new ScriptedPath("a", lu, "id");
        MultipathDevice d = device("round-robin", a);
        for (String n : PathSelectors.names()) {
            d.setPolicy(n);
            assertEquals(n, d.selector().name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.setPolicy("random"));
        assertTrue(e.getMessage().contains("round-robin"), e.getMessage());
    }
}
