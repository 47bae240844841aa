package io.mpathfs.fuse.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/** The ring machinery on its own: submissions go in, completions come back with their data, in order, past the wrap. */
class IoUringTest {
    @Test
    void nopsComeBackWithTheirUserDataAcrossManyRingWraps() throws Exception {
        try (IoUring ring = IoUring.create(4)) {
            long[] userData = new long[1];
            for (long round = 0; round < 50; round++) {
                for (int i = 0; i < 3; i++) {
                    Pointer sqe = ring.nextSqe();
                    assertNotNull(sqe);
                    sqe.putByte(IoUring.Sqe.OPCODE, (byte) IoUring.Sqe.OP_NOP);
                    sqe.putLong(IoUring.Sqe.USER_DATA, round * 10 + i);
                }
                ring.submitAndWait(3);
                for (int i = 0; i < 3; i++) {
                    Integer res = ring.takeCompletion(userData);
                    assertEquals(0, res);
                    assertEquals(round * 10 + i, userData[0]);
                }
                assertNull(ring.takeCompletion(userData), "nothing more than was submitted");
            }
        }
    }

    @Test
    void aFullSubmissionQueueSaysSo() throws Exception {
        try (IoUring ring = IoUring.create(2)) {
            assertNotNull(ring.nextSqe());
            assertNotNull(ring.nextSqe());
            assertNull(ring.nextSqe());
            ring.submitAndWait(2);
            long[] userData = new long[1];
            assertEquals(0, ring.takeCompletion(userData));
            assertEquals(0, ring.takeCompletion(userData));
        }
    }
}
