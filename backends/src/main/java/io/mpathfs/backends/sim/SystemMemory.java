package io.mpathfs.backends.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's memory as /proc/meminfo tells it. */
final class SystemMemory {
    private SystemMemory() {
    }

    /** MemTotal in bytes, or 0 when it cannot be read. */
    static long totalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] f = line.split("\\s+");
                    return Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
