package io.mpathfs.fuse.files;

import java.util.List;
import io.mpathfs.nativeshim.AlignedBuffer;
import jnr.ffi.Pointer;

/**
 * The files of one mount ({@code /disk}, {@code /ctl/*}) as any FUSE transport sees them: paths,
 * handles, memory and the caller in; counts or -errno out. A transport (jnr-fuse over libfuse2, or
 * one speaking the kernel protocol itself) adapts its requests to this and decides nothing.
 */
public interface DeviceFiles {
    /** The attributes of path, or null when there is no such file. */
    FileAttr attr(String path);

    /** The names in a directory (without "." and ".."), or null when path is not a directory. */
    List<String> list(String dir);

    /** Opens path with open(2) flags; returns a handle (>= 0) or -errno. */
    long open(String path, int flags, Caller caller);

    /** Whether reads and writes of path bypass the page cache (its content is generated or a device). */
    boolean directIo(String path);

    /**
     * Whether path is the device's data: no page cache, and writes to it may run in parallel (it has
     * no file offset or size a write could change).
     */
    boolean deviceData(String path);

    /** Reads up to size bytes at offset into buf; returns the count (0 at the end) or -errno. */
    int read(String path, long handle, long offset, Pointer buf, int size);

    /** Writes size bytes from buf at offset; returns the count or -errno. */
    int write(String path, long handle, long offset, Pointer buf, int size, Caller caller);

    /** As {@link #read}, into aligned memory: whole blocks of the disk need no bounce copy. */
    default int readInto(String path, long handle, long offset, AlignedBuffer buf, int size) {
        return read(path, handle, offset, buf.pointer(), size);
    }

    /** As {@link #write}, from aligned memory: whole blocks of the disk go to the paths as they are. */
    default int writeFrom(String path, long handle, long offset, AlignedBuffer buf, int size, Caller caller) {
        return write(path, handle, offset, buf.pointer(), size, caller);
    }

    /** fsync(2)/fdatasync(2) on an open file: 0 or -errno. */
    int fsync(String path, long handle);

    void release(String path, long handle);

    /** An ioctl on an open file with its argument struct in data: 0, a positive status, or -errno. */
    int ioctl(String path, long handle, int cmd, Pointer data, Caller caller);

    /** getxattr(2): the value's length (size 0 asks for it), or -errno. */
    int getxattr(String path, String name, Pointer value, long size);

    /** truncate(2): accepted and ignored where the size is fixed, -ENOENT otherwise. */
    int truncate(String path, long size);
}
