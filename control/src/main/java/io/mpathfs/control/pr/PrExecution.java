package io.mpathfs.control.pr;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * How the coordinator runs its work: {@link #call} runs a task serialised with every other one and
 * waits for it; {@link #post} queues one (preemption checks, reservation moves after a path
 * failure); {@link #fanout} runs the per-path commands of one step. The daemon uses threads
 * ({@link #threads}); a deterministic simulation supplies its own scheduler, so the same seed
 * replays the same interleaving.
 */
public interface PrExecution extends AutoCloseable {
    <T> T call(Callable<T> task);

    void post(Runnable task);

    /**
     * An IO waits for posted work (a reservation move). Threads: nothing to do, the serial
     * thread runs it. A single-threaded scheduler runs the posted work here.
     */
    default void ioWaiting() {
    }

    Executor fanout();

    @Override
    void close();

    /** One serial thread for the coordinator, a pool for the parallel per-path commands. */
    static PrExecution threads(String name) {
        ExecutorService serial = Executors.newSingleThreadExecutor(daemon("pr-" + name));
        ExecutorService pool = Executors.newCachedThreadPool(daemon("pr-fanout-" + name));
        return new PrExecution() {
            @Override
            public <T> T call(Callable<T> task) {
                Future<T> f = serial.submit(task);
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the PR coordinator", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("PR coordinator: " + e.getCause(), e.getCause());
                }
            }

            @Override
            public void post(Runnable task) {
                serial.submit(task);
            }

            @Override
            public Executor fanout() {
                return pool;
            }

            @Override
            public void close() {
                serial.shutdownNow();
                pool.shutdownNow();
            }
        };
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
