package io.mpathfs.control.policy;

import java.util.List;

/**
 * An IO policy: picks the path for the next IO, like a Linux dm-mpath path selector
 * (drivers/md/dm-path-selector.h). The device keeps per-path in-flight counts and throughput
 * ({@link PathLoad}); selectors read them and may keep state of their own. Adding a policy is one new
 * class plus one line in {@link PathSelectors}.
 */
public interface PathSelector {
    /** The name used on the command line and in ctl/policy. */
    String name();

    /**
     * @param usable the paths that may carry this IO now, in the device's path order; never empty
     * @param nrBytes size of the IO
     */
    <P extends PathLoad> P select(List<P> usable, int nrBytes);
}
