package io.mpathfs.fuse;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a test class on the kernel transport with FUSE over io_uring: the mpathfs.fuse property
 * picks the transport, and the fuse module's enable_uring parameter is switched on for the class
 * and put back as it was afterwards. A kernel without the parameter (before 6.14) fails the class
 * with that said, rather than passing it on /dev/fuse.
 */
final class Uring {
    static final Path ENABLE = Path.of("/sys/module/fuse/parameters/enable_uring");
    private static String savedProperty;
    private static String savedParameter;

    private Uring() {
    }

    static void select() throws Exception {
        if (!Files.exists(ENABLE)) {
            throw new AssertionError(ENABLE + " is missing: this kernel (" + System.getProperty("os.version")
                    + ") has no FUSE over io_uring (Linux 6.14+)");
        }
        savedParameter = Files.readString(ENABLE).trim();
        Files.writeString(ENABLE, "Y");
        savedProperty = System.getProperty(FuseKind.PROPERTY);
        System.setProperty(FuseKind.PROPERTY, FuseKind.URING.label());
    }

    static void restore() throws Exception {
        if (savedProperty == null) {
            System.clearProperty(FuseKind.PROPERTY);
        } else {
            System.setProperty(FuseKind.PROPERTY, savedProperty);
        }
        if (savedParameter != null) {
            Files.writeString(ENABLE, savedParameter);
        }
    }
}
