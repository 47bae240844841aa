package io.mpathfs.fuse;

import io.mpathfs.fuse.files.Caller;
import io.mpathfs.fuse.files.DeviceFiles;
import io.mpathfs.fuse.files.FileAttr;
import io.mpathfs.fuse.files.MountFiles;
import java.util.List;
import java.util.logging.Logger;
import jnr.ffi.Pointer;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * The jnr-fuse (libfuse2) transport: adapts libfuse's high-level callbacks to the mount's
 * {@link DeviceFiles}, with the caller of each request from libfuse's request context.
 */
public class MpathFs extends FuseStubFS {
    static final Logger LOG = Logger.getLogger("mpathfs");
    public static final String DISK = MountFiles.DISK;

    private final MountFiles files;

    public MpathFs(MountFiles files) {
        this.files = files;
    }

    public MountFiles files() {
        return files;
    }

    private volatile Runnable onServing = () -> { };

    /** Runs once FUSE INIT arrived (libfuse has set up its loop and signal handlers by then). */
    public void setOnServing(Runnable r) {
        this.onServing = r;
    }

    /** FUSE INIT arrived: the kernel connection is up. */
    @Override
    public Pointer init(Pointer conn) {
        onServing.run();
        return null;
    }

    private Caller caller() {
        FuseContext c = getContext();
        return new Caller((int) c.uid.get(), (int) c.gid.get(), (int) c.pid.get());
    }

    @Override
    public int getattr(String path, FileStat stat) {
        FileAttr a = files.attr(path);
        if (a == null) {
            return -ErrorCodes.ENOENT();
        }
        stat.st_mode.set(a.fullMode());
        stat.st_nlink.set(a.links());
        stat.st_uid.set(a.uid());
        stat.st_gid.set(a.gid());
        stat.st_size.set(a.size());
        stat.st_blksize.set(a.blockSize());
        stat.st_blocks.set(a.size() / 512);
        stat.st_mtim.tv_sec.set(a.mtimeSeconds());
        stat.st_ctim.tv_sec.set(a.mtimeSeconds());
        stat.st_atim.tv_sec.set(a.mtimeSeconds());
        return 0;
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
        List<String> names = files.list(path);
        if (names == null) {
            return -ErrorCodes.ENOTDIR();
        }
        filter.apply(buf, ".", null, 0);
        filter.apply(buf, "..", null, 0);
        for (String n : names) {
            filter.apply(buf, n, null, 0);
        }
        return 0;
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        long h = files.open(path, fi.flags.get(), caller());
        if (h < 0) {
            return (int) h;
        }
        fi.fh.set(h);
        if (files.directIo(path)) {
            setDirectIo(fi);
        }
        return 0;
    }

    /**
     * fuse_file_info.direct_io is a C bitfield that jnr-fuse exposes only as padding: set bit 0 of
     * the 32-bit word right before fh (libfuse2 layout: flags, fh_old, writepage, bitfields, fh).
     */
    private static void setDirectIo(FuseFileInfo fi) {
        Pointer mem = jnr.ffi.Struct.getMemory(fi);
        long off = fi.fh.offset() - 4;
        mem.putInt(off, mem.getInt(off) | 1);
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        files.release(path, fi.fh.get());
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return files.read(path, fi.fh.get(), offset, buf, (int) Math.min(size, Integer.MAX_VALUE));
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return files.write(path, fi.fh.get(), offset, buf, (int) Math.min(size, Integer.MAX_VALUE), caller());
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        return files.getxattr(path, name, value, size);
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return files.truncate(path, size);
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return files.fsync(path, fi.fh.get());
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int ioctl(String path, int cmd, Pointer arg, FuseFileInfo fi, long flags, Pointer data) {
        return files.ioctl(path, fi.fh.get(), cmd, data, caller());
    }
}
