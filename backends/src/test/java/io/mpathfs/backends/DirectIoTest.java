package io.mpathfs.backends;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeFile;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole-length O_DIRECT transfers, and what a shrunk or dead descriptor turns into. */
class DirectIoTest {
    private static final int SIZE = 1 << 20;


    @Test
    void aWholeMegabyteGoesOutAndComesBack() throws Exception {
        Path f = TempFiles.ofSize(2 * SIZE);
        byte[] data = new byte[SIZE];
        new Random(1).nextBytes(data);
        try (NativeFile nf = NativeFile.openDirect(f.toString()); AlignedBuffer b = AlignedBuffer.allocate(SIZE)) {
            b.put(0, data, 0, SIZE);
            DirectIo.writeFully(nf, "p", SIZE, b, SIZE);
            DirectIo.sync(nf, "p");
            try (AlignedBuffer back = AlignedBuffer.allocate(SIZE)) {
                DirectIo.readFully(nf, "p", SIZE, back, SIZE);
                byte[] out = new byte[SIZE];
                back.get(0, out, 0, SIZE);
                assertArrayEquals(data, out);
            }
        }
    }

    @Test
    void aReadPastTheEndIsAPathFailure() throws Exception {
        Path f = TempFiles.ofSize(8192);
        try (NativeFile nf = NativeFile.openDirect(f.toString()); AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            PathException e = assertThrows(PathException.class, () -> DirectIo.readFully(nf, "p", 8192, b, 4096));
            assertTrue(e.isPathFailure(), e.getMessage());
            assertTrue(e.getMessage().contains("short read"), e.getMessage());
        }
    }

    @Test
    void anUnalignedTransferIsOurOwnBadArgumentNotAPathFailure() throws Exception {
        Path f = TempFiles.ofSize(8192);
        try (NativeFile nf = NativeFile.openDirect(f.toString()); AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            PathException e = assertThrows(PathException.class, () -> DirectIo.writeFully(nf, "p", 100, b, 512));
            assertEquals(ErrorClass.TARGET_ERROR, e.errorClass());
            assertEquals(Errno.EINVAL, e.errno());
        }
    }
}
