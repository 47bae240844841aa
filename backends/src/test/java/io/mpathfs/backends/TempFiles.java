package io.mpathfs.backends;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sparse temporary files of a given size, to open as paths. */
public final class TempFiles {
    private TempFiles() {
    }

    public static Path ofSize(long size) throws IOException {
        Path f = Files.createTempFile("path", ".img");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
        return f;
    }
}
