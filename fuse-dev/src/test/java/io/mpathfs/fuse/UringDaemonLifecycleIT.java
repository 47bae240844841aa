package io.mpathfs.fuse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link DaemonLifecycleIT} with FUSE over io_uring: SIGINT, SIGTERM, "mpathfs umount" and SIGKILL
 * end a mount whose requests go through ring entries as cleanly as one on /dev/fuse.
 */
class UringDaemonLifecycleIT extends DaemonLifecycleIT {
    @BeforeAll
    static void uring() throws Exception {
        Uring.select();
    }

    @AfterAll
    static void restore() throws Exception {
        Uring.restore();
    }
}
