package io.mpathfs.fuse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link FailoverVerifyIT} with FUSE over io_uring. */
class UringFailoverVerifyIT extends FailoverVerifyIT {
    @BeforeAll
    static void uring() throws Exception {
        Uring.select();
    }

    @AfterAll
    static void restore() throws Exception {
        Uring.restore();
    }
}
