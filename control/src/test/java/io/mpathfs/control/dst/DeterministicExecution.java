package io.mpathfs.control.dst;

import io.mpathfs.control.pr.PrExecution;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * The coordinator's executor under the simulation: no threads. A command runs on the caller's
 * thread (the simulation is the only one), the per-path fan-out runs inline in path order, and
 * posted work (preemption checks, reservation moves after a path failure) waits in a queue until
 * the scheduler decides to run it — which is how a check can land late, after other hosts acted.
 */
final class DeterministicExecution implements PrExecution {
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private int depth;

    /**
     * Runs a task of the coordinator. Called while another task is running, it comes from one of
     * the scheduler's turns inside that task — an IO thread of the daemon (a reinstate it tries
     * when no path is left), which would wait on the serial executor until the running task ends:
     * here the IO is taken back and run again later, as {@link #ioWaiting} does.
     */
    @Override
    public <T> T call(Callable<T> task) {
        if (busy()) {
            throw new IoMustWait();
        }
        depth++;
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            depth--;
        }
    }

    @Override
    public void post(Runnable task) {
        posted.add(task);
    }

    @Override
    public Executor fanout() {
        return Runnable::run;
    }

    /** Runs everything posted, including what the posted work posts; false when there was nothing. */
    boolean drain() {
        boolean any = false;
        for (int guard = 0; guard < 1000 && !posted.isEmpty(); guard++) {
            Runnable r = posted.poll();
            call(() -> {
                r.run();
                return null;
            });
            any = true;
        }
        return any;
    }

    /** IO waits for a reservation move: in the daemon the serial thread would run it now. */
    @Override
    public void ioWaiting() {
        if (busy()) {
            // The coordinator is in the middle of a command on this very thread: the IO thread
            // of the daemon would wait for it. Here the IO is taken back and run again later.
            throw new IoMustWait();
        }
        drain();
    }

    /** An IO that, in the daemon, would now block until the coordinator's current task ends. */
    static final class IoMustWait extends RuntimeException {
        IoMustWait() {
            super("IO waits for the coordinator", null, false, false);
        }
    }

    boolean hasPosted() {
        return !posted.isEmpty();
    }

    /** Inside a coordinator task: a checker or admin action now would wait for it in the daemon. */
    boolean busy() {
        return depth > 0;
    }

    @Override
    public void close() {
        posted.clear();
    }
}
