package io.mpathfs.backends.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpathfs.backends.PathException;
import io.mpathfs.backends.TempFiles;
import io.mpathfs.nativeshim.Errno;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A file is a path only when it holds whole blocks and at least what the checker reads. */
class FilePathGeometryTest {
    @Test
    void emptyTinyAndPartialBlockFilesAreRefused() throws Exception {
        for (long size : new long[] {0, 512, 4097, (1 << 20) + 100}) {
            Path f = TempFiles.ofSize(size);
            PathException e = assertThrows(PathException.class, () -> FilePath.open(f.toString()), "size " + size);
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(Long.toString(size)),
                    e.getMessage());
        }
    }

    @Test
    void wholeBlockFilesAreAccepted() throws Exception {
        Path f = TempFiles.ofSize(1 << 20);
        try (FilePath p = FilePath.open(f.toString())) {
            assertEquals(1 << 20, p.sizeBytes());
            p.probe();
        }
    }
}
