package io.mpathfs.control;

import java.util.List;

/**
 * Hooks through which the PR coordinator takes part in path events and IO routing. The default
 * (no key set) lets every usable path carry all IO and reinstates paths directly.
 */
public interface PathLifecycle {
    PathLifecycle NONE = new PathLifecycle() {
    };

    /**
     * A FAILED path answered the checker (or an admin asked to reinstate it). Runs before the path
     * is ACTIVE again: register it when a key is set. false keeps the path FAILED.
     */
    default boolean beforeReinstate(PathEntry path) {
        return true;
    }

    /** A new path is about to join the device; false refuses it. */
    default boolean beforeAdd(PathEntry path) {
        return true;
    }

    /** A path just went FAILED (IO error, checker, admin). Must not block: IO threads call it. */
    default void pathFailed(PathEntry path) {
    }

    /** IO through this path got RESERVATION CONFLICT. Must not block. */
    default void reservationConflict(PathEntry path, boolean write) {
    }

    /** A UNIT ATTENTION arrived on this path. Must not block. */
    default void unitAttention(PathEntry path, int asc, int ascq) {
    }

    /**
     * A PR transition (reservation move) is under way: IO that finds no path waits for it
     * instead of counting against no_path_retry.
     */
    default boolean settling() {
        return false;
    }

    /**
     * IO found no path while {@link #settling()} and is about to wait (outside the IO gate) for
     * the transition. In the daemon the coordinator's own thread carries it on; under a
     * deterministic scheduler with no other thread, this is where the transition gets its turn.
     */
    default void awaitingSettle() {
    }

    /**
     * Narrows the usable paths for one IO (e.g. only the holder path of a WRITE EXCLUSIVE
     * reservation for writes). Returning an empty list makes the IO wait as with no path.
     */
    default List<PathEntry> route(List<PathEntry> usable, boolean write) {
        return usable;
    }
}
