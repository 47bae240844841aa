package io.mpathfs.backends;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A path's data descriptor comes back by name with the same size, or not at all. */
class DataDescriptorTest {
    private static final int SIZE = 1 << 16;


    private static byte[] readBack(DataDescriptor d) throws Exception {
        try (AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            d.read(0, b, 4096);
            byte[] out = new byte[4096];
            b.get(0, out, 0, 4096);
            return out;
        }
    }

    @Test
    void writesReadBackAndAReplacedFileOfTheSameSizeIsReopened() throws Exception {
        Path f = TempFiles.ofSize(SIZE);
        byte[] pattern = new byte[4096];
        Arrays.fill(pattern, (byte) 0x5a);
        try (DataDescriptor d = DataDescriptor.of(f.toString(), DataDescriptor.openDirect(f.toString()), SIZE);
             AlignedBuffer b = AlignedBuffer.allocate(4096)) {
            b.put(0, pattern, 0, 4096);
            d.write(0, b, 4096);
            d.flush();
            assertArrayEquals(pattern, readBack(d));

            Files.delete(f);
            TempFiles.ofSize(SIZE).toFile().renameTo(f.toFile());
            d.reopen(PathException.pathFailure("dead"));
            assertArrayEquals(new byte[4096], readBack(d), "the new file is read, not the old one");
        }
    }

    @Test
    void aNameThatCannotBeOpenedRethrowsTheCauseAndAnotherSizeIsRefused() throws Exception {
        Path f = TempFiles.ofSize(SIZE);
        try (DataDescriptor d = DataDescriptor.of(f.toString(), DataDescriptor.openDirect(f.toString()), SIZE)) {
            Files.delete(f);
            PathException cause = PathException.pathFailure("dead");
            assertSame(cause, assertThrows(PathException.class, () -> d.reopen(cause)));

            TempFiles.ofSize(2 * SIZE).toFile().renameTo(f.toFile());
            PathException e = assertThrows(PathException.class, () -> d.reopen(cause));
            assertEquals(ErrorClass.PATH_FAILURE, e.errorClass());
            assertEquals(Errno.EIO, e.errno());
        }
    }
}
