package io.mpathfs.fuse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link DaemonLifecycleIT} on the portable libfuse2 transport. */
class Libfuse2DaemonLifecycleIT extends DaemonLifecycleIT {
    @BeforeAll
    static void libfuse2() {
        Libfuse2.select();
    }

    @AfterAll
    static void restore() {
        Libfuse2.restore();
    }
}
