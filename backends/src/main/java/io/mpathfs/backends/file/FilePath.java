package io.mpathfs.backends.file;

import io.mpathfs.backends.DevicePath;
import io.mpathfs.backends.ErrorClassifier;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.scsi.ScsiChannel;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import io.mpathfs.nativeshim.NativeException;
import io.mpathfs.nativeshim.NativeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A path that is a regular file or a block device without SCSI (a loop device): data only, opened
 * O_DIRECT so that two paths over the same backing never serve stale page-cache data.
 */
public final class FilePath implements DevicePath {
    private static final int PROBE_BYTES = 4096;

    private final String name;
    private final NativeFile file;
    private final int blockSize;
    private final long size;

    private FilePath(String name, NativeFile file, int blockSize, long size) {
        this.name = name;
        this.file = file;
        this.blockSize = blockSize;
        this.size = size;
    }

    public static FilePath open(String name) throws PathException {
        NativeFile f;
        try {
            f = NativeFile.openDirect(name);
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
        try {
            return new FilePath(name, f, Math.max(512, f.logicalBlockSize()), f.size());
        } catch (NativeException e) {
            f.close();
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void read(long offset, AlignedBuffer buf, int length) throws PathException {
        int done = 0;
        try {
            while (done < length) {
                int n = file.pread(ptr(buf, done), length - done, offset + done);
                if (n == 0) {
                    // Reading past the end of the backing: a shrunk or truncated backing is a dead path.
                    throw PathException.pathFailure("pread " + name + ": short read at " + (offset + done));
                }
                done += n;
            }
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    @Override
    public void write(long offset, AlignedBuffer buf, int length) throws PathException {
        int done = 0;
        try {
            while (done < length) {
                int n = file.pwrite(ptr(buf, done), length - done, offset + done);
                if (n == 0) {
                    throw PathException.pathFailure("pwrite " + name + ": wrote nothing at " + (offset + done));
                }
                done += n;
            }
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    private static jnr.ffi.Pointer ptr(AlignedBuffer buf, int off) {
        return off == 0 ? buf.pointer() : buf.pointer().slice(off);
    }

    @Override
    public void flush() throws PathException {
        try {
            file.fdatasync();
        } catch (NativeException e) {
            throw ErrorClassifier.fromNative(name, e);
        }
    }

    /** A 4 KiB direct read at offset 0, as multipathd's directio checker does. */
    @Override
    public void probe() throws PathException {
        if (file.isClosed()) {
            throw new PathException(io.mpathfs.backends.ErrorClass.PATH_FAILURE, Errno.EBADF, name + " is closed");
        }
        try (AlignedBuffer b = AlignedBuffer.allocate(PROBE_BYTES)) {
            read(0, b, (int) Math.min(PROBE_BYTES, size));
        }
    }

    /**
     * The backing file behind the path: a loop device's backing_file from sysfs, else the real path
     * of the file itself, prefixed with "file:".
     */
    @Override
    public String identity() {
        try {
            NativeFile.Stat st = file.stat();
            if (st.isBlockDevice()) {
                long rdev = st.rdev();
                int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
                Path backing = Path.of("/sys/dev/block/" + major + ":" + minor + "/loop/backing_file");
                if (Files.isReadable(backing)) {
                    return "file:" + Files.readString(backing).trim();
                }
                return "blockdev:" + major + ":" + minor;
            }
            return "file:" + Path.of(name).toRealPath();
        } catch (IOException e) {
            return "file:" + name;
        }
    }

    @Override
    public Optional<ScsiChannel> scsi() {
        return Optional.empty();
    }

    @Override
    public void close() {
        file.close();
    }
}
