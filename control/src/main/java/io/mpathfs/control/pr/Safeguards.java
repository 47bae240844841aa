package io.mpathfs.control.pr;

import java.util.EnumSet;
import java.util.Set;

/**
 * The coordinator's safeguards that the deterministic simulation must be able to catch
 * missing: the simulation's self-test switches one off, runs its seed budget, and
 * expects a violation. All are on in the daemon; nothing but that test ever turns one off.
 */
public enum Safeguards {
    /** After re-registering a returning or added path, re-read the keys: preempted meanwhile? */
    RECOUNT_KEYS_ON_PATH_RETURN,
    /** Suspend IO (the gate) while a self-preempt moves or retypes our reservation. */
    SUSPEND_IO_DURING_SELF_PREEMPT,
    /** Register a returning path before it is reinstated for IO (and every path at start before it carries IO). */
    REGISTER_BEFORE_REINSTATE,
    /**
     * REGISTER reaches the paths of standby target port groups too (they take PR OUT): skipping
     * them, as if only paths that carry IO mattered, leaves nexuses unregistered that conflict
     * once the array makes their group active.
     */
    REGISTER_STANDBY_PATHS,
    /**
     * A PR command refused by the port's target port group (unavailable, transitioning) fails the
     * path as a dead transport does (PathCommand): taken for the LU's answer instead, a REGISTER
     * is refused with NOT READY where one device accepts it.
     */
    PORT_REFUSING_PR_IS_DOWN,
    /**
     * After our PREEMPT with service action key 0 (accepted only under an all-registrants
     * reservation, where it removes every registration but the issuer's), our other paths are
     * registered again, with IO suspended meanwhile: one device's single nexus, the issuer, is
     * still registered.
     */
    REREGISTER_AFTER_PREEMPTING_ALL;

    private static final Set<Safeguards> DISABLED = EnumSet.noneOf(Safeguards.class);

    public boolean on() {
        synchronized (DISABLED) {
            return !DISABLED.contains(this);
        }
    }

    /** Test-only: switches this safeguard off until {@link #restoreAll()}. */
    public void disableForTest() {
        synchronized (DISABLED) {
            DISABLED.add(this);
        }
    }

    public static void restoreAll() {
        synchronized (DISABLED) {
            DISABLED.clear();
        }
    }
}
