package io.mpathfs.fuse;

import io.mpathfs.fuse.fuse3.LibFuse3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/** Which libfuse serves a mount: --libfuse 2|3|auto. */
public enum FuseLibrary {
    V2, V3, AUTO;

    private static final Logger LOG = Logger.getLogger("mpathfs");

    public static FuseLibrary parse(String s) {
        switch (s) {
            case "2":
                return V2;
            case "3":
                return V3;
            case "auto":
                return AUTO;
            default:
                throw new IllegalArgumentException("--libfuse must be 2, 3 or auto (got '" + s + "')");
        }
    }

    /**
     * The libfuse3 library when this choice means libfuse3, else null (libfuse2). V3 fails when
     * libfuse3 cannot be used; AUTO falls back to libfuse2 with one log line saying why.
     */
    LibFuse3 resolve() {
        if (this == V2) {
            return null;
        }
        String why = null;
        LibFuse3 lib = null;
        try {
            lib = LibFuse3.load();
        } catch (LinkageError | RuntimeException e) {
            why = "libfuse3.so.3 does not load (" + e.getMessage() + ")";
        }
        // As root libfuse3 mounts with mount(2); anyone else needs its setuid fusermount3.
        if (lib != null && !"root".equals(System.getProperty("user.name")) && !onPath("fusermount3")) {
            why = "not root and no fusermount3";
            lib = null;
        }
        if (lib == null) {
            if (this == V3) {
                throw new IllegalStateException("--libfuse 3: " + why);
            }
            LOG.info("libfuse3 not usable: " + why + "; using libfuse2");
        }
        return lib;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
