package io.mpathfs.fuse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link EmbeddedPrIT} on the portable libfuse2 transport. */
class Libfuse2EmbeddedPrIT extends EmbeddedPrIT {
    @BeforeAll
    static void libfuse2() {
        Libfuse2.select();
    }

    @AfterAll
    static void restore() {
        Libfuse2.restore();
    }
}
