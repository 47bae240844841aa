package io.mpathfs.control.dst;

/**
 * What a run draws. New kinds of step are drawn on streams of their own, so a seed that draws
 * none of them runs as before; one that does runs otherwise from there on. A seed pinned in a
 * test replays with the schedule it was found with, so that it still replays its defect.
 */
enum Schedule {
    /** Before the daemon restart step (and with it, target port groups) existed. */
    WITHOUT_RESTARTS,
    /**
     * Restarts, and target port groups that swap or go active/optimized, active/non-optimized or
     * standby; before groups went unavailable or transitioning and our PREEMPTs with service
     * action key 0 were drawn.
     */
    WITH_RESTARTS,
    /** Everything the simulation draws. */
    CURRENT;

    /** -Dschedule=NAME (make soak DST_FLAGS=-Dschedule=WITH_RESTARTS: a budget as it was drawn then); CURRENT by default. */
    static Schedule ofRun() {
        return valueOf(System.getProperty("schedule", CURRENT.name()));
    }

    boolean restarts() {
        return this != WITHOUT_RESTARTS;
    }

    /** Groups that refuse PR (unavailable, transitioning) and our PREEMPTs with service action key 0. */
    boolean refusingPortsAndPreemptsOfAll() {
        return this == CURRENT;
    }
}
