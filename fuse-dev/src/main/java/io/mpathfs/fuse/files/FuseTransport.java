package io.mpathfs.fuse.files;

import java.nio.file.Path;

/**
 * Who talks to the kernel for a mount: libfuse2 under jnr-fuse, or our own /dev/fuse transport.
 * Both serve the same {@link DeviceFiles}; the mount lifecycle picks one and drives it through this.
 */
public interface FuseTransport {
    /** "uring", "kernel" or "libfuse2". */
    String name();

    /**
     * Mounts. blocking=true serves until unmounted; false returns once the mount is set up.
     * onServing runs when the kernel's INIT has been answered.
     */
    void mount(Path mountPoint, boolean blocking, Runnable onServing) throws Exception;

    /** Unmounts (lazily: the connection ends when the last open file on it closes). */
    void umount();
}
