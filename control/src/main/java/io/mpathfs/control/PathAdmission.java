package io.mpathfs.control;

/**
 * Whether a path may (again) carry IO: asked before a FAILED path is reinstated and before a new
 * path joins. These block while the PR coordinator brings the path in line (registers it, or
 * removes a stale key); the checker's and the admin's threads call them, never an IO thread. The
 * default (no key set) admits every path directly.
 */
public interface PathAdmission {
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
}
