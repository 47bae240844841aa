package io.mpathfs.fuse.config;

import java.nio.file.Path;

/** The configuration cannot be used: names the file, the line (0 when none applies) and the problem. */
public final class ConfigException extends Exception {
    private final Path file;
    private final int line;
    private final String problem;

    public ConfigException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
