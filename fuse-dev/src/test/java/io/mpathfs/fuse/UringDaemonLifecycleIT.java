package io.mpathfs.fuse;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DaemonLifecycleIT} with FUSE over io_uring: SIGINT, SIGTERM, "mpathfs umount" and SIGKILL
 * end a mount whose requests go through ring entries as cleanly as one on /dev/fuse.
 */
@ExtendWith(Uring.class)
class UringDaemonLifecycleIT extends DaemonLifecycleIT {
}
