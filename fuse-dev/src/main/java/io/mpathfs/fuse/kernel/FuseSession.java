package io.mpathfs.fuse.kernel;

import io.mpathfs.fuse.files.DeviceFiles;

/** What the workers of one mount share: the files, their node ids, and the connection's state. */
final class FuseSession {
    /** The largest READ or WRITE: 256 pages, what max_pages asks for. */
    static final int MAX_IO = 1 << 20;
    static final int MAX_PAGES = MAX_IO / 4096;
    /** Requests the kernel may have outstanding asynchronously (O_DIRECT AIO, readahead). */
    static final int MAX_BACKGROUND = 64;
    static final int CONGESTION_THRESHOLD = 48;

    final DeviceFiles files;
    final NodeTable nodes;
    /** Answer READ on the device's data without touching a path: the transport's own ceiling, for make bench. */
    final boolean noopReads;
    /** Ask for FUSE over io_uring in INIT (the kernel offers it only where it is enabled). */
    final boolean uringWanted;
    private volatile boolean uringGranted;
    /** Requests served through ring entries. */
    final java.util.concurrent.atomic.LongAdder ringRequests = new java.util.concurrent.atomic.LongAdder();
    private final Runnable onInit;
    private volatile boolean initialized;
    private volatile boolean destroyed;

    FuseSession(DeviceFiles files, boolean noopReads, boolean uringWanted, Runnable onInit) {
        this.files = files;
        this.nodes = new NodeTable(files);
        this.noopReads = noopReads;
        this.uringWanted = uringWanted;
        this.onInit = onInit;
    }

    boolean initialized() {
        return initialized;
    }

    void initialize(boolean overUring) {
        uringGranted = overUring;
        initialized = true;
    }

    /** INIT granted FUSE_OVER_IO_URING: requests come through ring entries once every queue has one. */
    boolean uringGranted() {
        return uringGranted;
    }

    /** INIT has been answered. */
    void serving() {
        onInit.run();
    }

    boolean destroyed() {
        return destroyed;
    }

    void destroy() {
        destroyed = true;
    }
}
