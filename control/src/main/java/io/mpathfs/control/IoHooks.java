package io.mpathfs.control;

import java.util.List;

/**
 * What the device tells the PR coordinator, and asks it, while IO runs. IO threads call these:
 * none may block. The default (no key set) lets every usable path carry all IO.
 */
public interface IoHooks {
    /** A path just went FAILED (IO error, checker, admin). */
    default void pathFailed(PathEntry path) {
    }

    /**
     * The state of the path's target port group changed (ALUA): it may have stopped carrying IO
     * (standby, unavailable, transitioning) or started again.
     */
    default void pathGroupChanged(PathEntry path) {
    }

    /** IO through this path got RESERVATION CONFLICT. */
    default void reservationConflict(PathEntry path, boolean write) {
    }

    /** A UNIT ATTENTION arrived on this path: the one way they reach the coordinator. */
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
