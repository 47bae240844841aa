package io.mpathfs.backends.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.nativeshim.Errno;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A file is a path only when it holds whole blocks and at least what the checker reads. */
class FilePathGeometryTest {

    private static Path fileOf(long size) throws Exception {
        Path f = Files.createTempFile("geometry", ".img");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
        return f;
    }

    @Test
    void emptyTinyAndPartialBlockFilesAreRefused() throws Exception {
        for (long size : new long[] {0, 512, 4097, (1 << 20) + 100}) {
            Path f = fileOf(size);
            PathException e = assertThrows(PathException.class, () -> FilePath.open(f.toString()), "size " + size);
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(Long.toString(size)),
                    e.getMessage());
        }
    }

    @Test
    void wholeBlockFilesAreAccepted() throws Exception {
        Path f = fileOf(1 << 20);
        try (FilePath p = FilePath.open(f.toString())) {
            assertEquals(1 << 20, p.sizeBytes());
            p.probe();
        }
    }
}
