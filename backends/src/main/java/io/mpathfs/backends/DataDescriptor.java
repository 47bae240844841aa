package io.mpathfs.backends;

import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The O_DIRECT data descriptor of a path that is opened by name (a file, a loop device, a SCSI
 * disk's block node): whole-length reads and writes, flush, and reopening by name.
 *
 * <p>When the file behind a descriptor goes away (a FUSE daemon killed: ENOTCONN forever; a device
 * node removed), that descriptor never works again; the path's probe reopens it by name so the path
 * can be reinstated once the file is back, with the same size. A replaced descriptor is retired, not
 * closed at once: an IO still running on it must never see its number reused by another file.
 */
public final class DataDescriptor implements AutoCloseable {
    private final String name;
    private final long size;
    private volatile NativeFile file;
    private final List<AutoCloseable> retired = new ArrayList<>();

    private DataDescriptor(String name, NativeFile file, long size) {
        this.name = name;
        this.file = file;
        this.size = size;
    }

    /** Opens name O_DIRECT; libc failures are classified by {@link ErrorClassifier}. */
    public static NativeFile openDirect(String name) throws PathException {
        try {
            return NativeFile.openDirect(name);
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    /** Takes over an open descriptor of name whose size the path has settled on. */
    public static DataDescriptor of(String name, NativeFile file, long size) {
        return new DataDescriptor(name, file, size);
    }

    /** The descriptor now in use. */
    public NativeFile file() {
        return file;
    }

    public void read(long offset, AlignedBuffer buf, int length) throws PathException {
        DirectIo.readFully(file, name, offset, buf, length);
    }

    public void write(long offset, AlignedBuffer buf, int length) throws PathException {
        DirectIo.writeFully(file, name, offset, buf, length);
    }

    public void flush() throws PathException {
        DirectIo.sync(file, name);
    }

    /**
     * Opens the path again by name and puts the new descriptor in place of the dead one; when the
     * name cannot be opened, the path is still gone and {@code cause} is thrown. A file that came
     * back with another size is another file: refused as a path failure.
     */
    public synchronized void reopen(PathException cause) throws PathException {
        NativeFile fresh;
        try {
            fresh = NativeFile.openDirect(name);
        } catch (NativeException e) {
            throw cause;
        }
        try {
            if (fresh.size() != size) {
                fresh.close();
                throw new PathException(ErrorClass.PATH_FAILURE, Errno.EIO,
                        name + " came back with size " + fresh.size() + ", expected " + size);
            }
        } catch (NativeException e) {
            fresh.close();
            throw ErrorClassifier.fromNative(name, e);
        }
        retire(file);
        file = fresh;
    }

    /** Keeps a replaced descriptor (this one or a companion, e.g. an SG_IO one) open until close. */
    public synchronized void retire(AutoCloseable old) {
        retired.add(old);
    }

    @Override
    public synchronized void close() {
        file.close();
        for (AutoCloseable r : retired) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing a dead descriptor
            }
        }
        retired.clear();
    }
}
