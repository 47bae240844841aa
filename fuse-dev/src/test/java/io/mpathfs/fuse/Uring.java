package io.mpathfs.fuse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class ({@code @ExtendWith(Uring.class)}) on our transport with FUSE over io_uring:
 * the mpathfs.fuse property picks the transport (in-process mounts and daemons alike), and the
 * fuse module's enable_uring parameter is switched on for the class and put back as it was
 * afterwards. A kernel without the parameter (before 6.14) fails the class with that said, rather
 * than passing it on /dev/fuse.
 */
final class Uring implements BeforeAllCallback, AfterAllCallback {
    static final Path ENABLE = Path.of("/sys/module/fuse/parameters/enable_uring");
    private String savedProperty;
    private String savedParameter;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.exists(ENABLE)) {
            throw new AssertionError(ENABLE + " is missing: this kernel (" + System.getProperty("os.version")
                    + ") has no FUSE over io_uring (Linux 6.14+)");
        }
        savedParameter = Files.readString(ENABLE).trim();
        Files.writeString(ENABLE, "Y");
        savedProperty = System.getProperty(FuseKind.PROPERTY);
        System.setProperty(FuseKind.PROPERTY, FuseKind.URING.label());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
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
