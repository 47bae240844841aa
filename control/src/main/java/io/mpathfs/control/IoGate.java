package io.mpathfs.control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Suspends and resumes IO on the device. While suspended, new IO waits at the gate and
 * {@link #suspend()} returns only after every IO already past the gate has completed — so a PR
 * self-preempt and re-registration never races with IO on a path that is briefly unregistered.
 */
public final class IoGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int suspenders;
    private int inside;

    /** Waits while suspended, then enters. Always pair with {@link #leave()}. */
    public void enter() throws InterruptedException {
        lock.lock();
        try {
            while (suspenders > 0) {
                changed.await();
            }
            inside++;
        } finally {
            lock.unlock();
        }
    }

    public void leave() {
        lock.lock();
        try {
            inside--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops new IO and waits for IO in progress to drain. Nests: each suspend needs a resume. */
    public void suspend() throws InterruptedException {
        lock.lock();
        try {
            suspenders++;
            while (inside > 0) {
                if (!changed.await(30, TimeUnit.SECONDS)) {
                    // IO stuck in a path (e.g. queued with no path): PR must not wait forever.
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public void resume() {
        lock.lock();
        try {
            if (suspenders > 0) {
                suspenders--;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean suspended() {
        lock.lock();
        try {
            return suspenders > 0;
        } finally {
            lock.unlock();
        }
    }

    public String label() {
        return suspended() ? "suspended" : "open";
    }
}
