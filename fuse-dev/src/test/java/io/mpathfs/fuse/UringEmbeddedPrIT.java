package io.mpathfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.fuse.kernel.KernelTransport;
import io.mpathfs.fuse.testsupport.Sh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EmbeddedPrIT} with FUSE over io_uring, and proof that the requests took the ring. */
@ExtendWith(Uring.class)
class UringEmbeddedPrIT extends EmbeddedPrIT {
    @Test
    void readsAndWritesGoThroughTheRing() {
        KernelTransport t = (KernelTransport) mount.mounted().transport();
        long before = t.ringRequests();
        Sh.Result dd = Sh.run(60, "dd", "if=/dev/zero", "of=" + mount.point().resolve("disk"), "bs=64k", "count=64",
                "oflag=direct");
        assertEquals(0, dd.rc(), dd.out());
        assertEquals("io_uring", t.mode());
        assertTrue(t.ringRequests() >= before + 64, "64 writes through ring entries, saw "
                + (t.ringRequests() - before));
    }
}
