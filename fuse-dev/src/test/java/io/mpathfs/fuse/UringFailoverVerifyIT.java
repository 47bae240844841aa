package io.mpathfs.fuse;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link FailoverVerifyIT} with FUSE over io_uring. */
@ExtendWith(Uring.class)
class UringFailoverVerifyIT extends FailoverVerifyIT {
}
