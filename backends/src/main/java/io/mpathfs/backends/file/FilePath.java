package io.mpathfs.backends.file;

import io.mpathfs.backends.DataDescriptor;
import io.mpathfs.backends.DescriptorPath;
import io.mpathfs.backends.ErrorClass;
import io.mpathfs.backends.ErrorClassifier;
import io.mpathfs.backends.PathException;
import io.mpathfs.backends.ScsiChannel;
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
 *
 * <p>A descriptor whose file went away is reopened by name by the checker's probe
 * ({@link DataDescriptor}).
 */
public final class FilePath extends DescriptorPath {
    /** Extended attribute through which a file names the LU it serves (mpathfs's own disk sets it). */
    public static final String IDENTITY_XATTR = "user.mpathfs.identity";
    private static final int PROBE_BYTES = 4096;

    private volatile boolean closed;

    private FilePath(String name, NativeFile file, int blockSize, long size) {
        super(name, file, size, blockSize);
    }

    public static FilePath open(String name) throws PathException {
        NativeFile f = DataDescriptor.openDirect(name);
        try {
            int bs = Math.max(512, f.logicalBlockSize());
            long size = f.size();
            checkGeometry(name, size, bs);
            return new FilePath(name, f, bs, size);
        } catch (NativeException e) {
            f.close();
            throw ErrorClassifier.fromNative(name, e);
        } catch (PathException e) {
            f.close();
            throw e;
        }
    }

    /**
     * A path must hold whole blocks and at least what the checker reads: O_DIRECT IO on a partial
     * last block fails, and a path that fails every check would flap between failed and reinstated.
     */
    static void checkGeometry(String name, long size, int blockSize) throws PathException {
        if (size < PROBE_BYTES) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL, "path " + name + " has size " + size
                    + " bytes: a path needs at least " + PROBE_BYTES + " bytes");
        }
        if (size % blockSize != 0) {
            throw new PathException(ErrorClass.TARGET_ERROR, Errno.EINVAL, "path " + name + " has size " + size
                    + " bytes, not a multiple of its block size " + blockSize);
        }
    }

    /**
     * A 4 KiB direct read at offset 0, as multipathd's directio checker does; when the descriptor is
     * dead, reopens the path by name (same size required) and probes the new one.
     */
    @Override
    public void probe() throws PathException {
        if (closed) {
            throw new PathException(ErrorClass.PATH_FAILURE, Errno.EBADF, name() + " is closed");
        }
        try (AlignedBuffer b = AlignedBuffer.allocate(PROBE_BYTES)) {
            try {
                read(0, b, (int) Math.min(PROBE_BYTES, sizeBytes()));
            } catch (PathException first) {
                if (!first.isPathFailure()) {
                    throw first;
                }
                data.reopen(first);
                read(0, b, (int) Math.min(PROBE_BYTES, sizeBytes()));
            }
        }
    }

    /**
     * The LU behind the path: the file's {@value #IDENTITY_XATTR} when it has one (a disk of another
     * mpathfs mount), a loop device's backing file, else the real path of the file, prefixed "file:".
     */
    @Override
    public String identity() {
        NativeFile f = data.file();
        try {
            String x = f.getXattr(IDENTITY_XATTR);
            if (x != null && !x.isBlank()) {
                return x.trim();
            }
        } catch (NativeException ignored) {
            // no xattr support on this file: fall back to the backing
        }
        try {
            NativeFile.Stat st = f.stat();
            if (st.isBlockDevice()) {
                long rdev = st.rdev();
                long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
                long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
                Path backing = Path.of("/sys/dev/block/" + major + ":" + minor + "/loop/backing_file");
                if (Files.isReadable(backing)) {
                    return "file:" + Files.readString(backing).trim();
                }
                return "blockdev:" + major + ":" + minor;
            }
            return "file:" + Path.of(name()).toRealPath();
        } catch (IOException e) {
            return "file:" + name();
        }
    }

    @Override
    public Optional<ScsiChannel> scsi() {
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        data.close();
    }
}
