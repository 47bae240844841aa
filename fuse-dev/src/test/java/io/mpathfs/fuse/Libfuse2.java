package io.mpathfs.fuse;

import io.mpathfs.fuse.testsupport.Mounts;

/**
 * Runs a test class on the libfuse2 transport: the mpathfs.fuse property is what the test mounts
 * (in-process and daemons, through {@link Mounts}) take their transport from.
 */
final class Libfuse2 {
    private static String saved;

    private Libfuse2() {
    }

    static void select() {
        saved = System.getProperty(FuseKind.PROPERTY);
        System.setProperty(FuseKind.PROPERTY, FuseKind.LIBFUSE2.label());
    }

    static void restore() {
        if (saved == null) {
            System.clearProperty(FuseKind.PROPERTY);
        } else {
            System.setProperty(FuseKind.PROPERTY, saved);
        }
    }
}
