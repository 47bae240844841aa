package io.mpathfs.fuse;

import io.mpathfs.fuse.files.FuseTransport;
import io.mpathfs.fuse.files.MountFiles;
import io.mpathfs.fuse.kernel.KernelTransport;
import java.util.Locale;
import java.util.logging.Logger;

/** The transports a mount can have (--fuse). */
public enum FuseKind {
    /** Our own transport on /dev/fuse alone (mount(2) needs root). */
    KERNEL,
    /** libfuse2 under jnr-fuse: portable, works without root through fusermount. */
    LIBFUSE2,
    /**
     * Our own transport with requests through io_uring where the kernel offers it (Linux 6.14+,
     * enable_uring set), else on /dev/fuse as KERNEL: the default, since make bench has it ahead
     * where the ring is there and it is KERNEL where it is not.
     */
    URING;

    private static final Logger LOG = Logger.getLogger("mpathfs");
    /** Read when no --fuse is given: lets a test run (or MPATHFS_JAVA_OPTS) pick the transport. */
    public static final String PROPERTY = "mpathfs.fuse";
    static final FuseKind DEFAULT = URING;

    public static FuseKind parse(String s) {
        for (FuseKind k : values()) {
            if (k.label().equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("--fuse must be kernel, uring or libfuse2, not '" + s + "'");
    }

    /** The mpathfs.fuse system property when set, else the default. */
    public static FuseKind configured() {
        String p = System.getProperty(PROPERTY, "");
        return p.isBlank() ? DEFAULT : parse(p.trim());
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport for a mount's files. The kernel transport mounts with mount(2): without root, libfuse2. */
    FuseTransport create(MountFiles files) {
        if (this == KERNEL || this == URING) {
            if (!"root".equals(System.getProperty("user.name"))) {
                LOG.warning("--fuse " + label() + " needs root (mount(2)); using libfuse2");
                return new Libfuse2Transport(files);
            }
            return new KernelTransport(files, "mpathfs:" + files.device().name(),
                    Integer.getInteger("mpathfs.fuse.workers", KernelTransport.defaultWorkers()),
                    Boolean.getBoolean("mpathfs.noopReads"), this == URING);
        }
        return new Libfuse2Transport(files);
    }
}
