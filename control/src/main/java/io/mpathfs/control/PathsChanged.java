package io.mpathfs.control;

import io.mpathfs.nativeshim.Errno;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What IO that cannot go anywhere now waits on (no usable path, a transitioning target port group,
 * a reservation on the move): signalled when a path comes back or the routing may have changed.
 * Every wait is bounded, since routing can also change without a signal.
 */
final class PathsChanged {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    void signalAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most nanos for a signal; an interrupt fails the IO with EINTR and this message. */
    void await(long nanos, String interruptedMessage) throws DeviceIoException {
        lock.lock();
        try {
            changed.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceIoException(Errno.EINTR, interruptedMessage);
        } finally {
            lock.unlock();
        }
    }
}
