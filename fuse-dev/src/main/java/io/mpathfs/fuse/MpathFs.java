package io.mpathfs.fuse;

import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.ctl.ControlFile;
import io.mpathfs.control.ctl.CtlException;
import io.mpathfs.control.io.BlockAligner;
import io.mpathfs.nativeshim.Errno;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import jnr.ffi.Pointer;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * The filesystem of one multipath device: {@code /disk} (the merged block file) and {@code /ctl/*}
 * (control files). Thin: every decision lives in the control module; this class only translates
 * FUSE calls and errno values.
 */
public class MpathFs extends FuseStubFS {
    static final Logger LOG = Logger.getLogger("mpathfs");
    public static final String DISK = "/disk";
    private static final String CTL = "/ctl";
    private static final int MAX_COMMAND = 64 * 1024;

    private final MultipathDevice device;
    private final BlockAligner aligner;
    private final Map<String, ControlFile> ctl = new LinkedHashMap<>();
    private final OpenHandles handles = new OpenHandles();
    private volatile DiskIoctl ioctlHandler;
    private final long mountTime = System.currentTimeMillis() / 1000;

    public MpathFs(MultipathDevice device, List<ControlFile> controlFiles) {
        this.device = device;
        this.aligner = new BlockAligner(device);
        for (ControlFile f : controlFiles) {
            ctl.put(CTL + "/" + f.name(), f);
        }
    }

    /** Handles ioctls on /disk (the PR ioctls); null answers ENOTTY. */
    public void setDiskIoctl(DiskIoctl handler) {
        this.ioctlHandler = handler;
    }

    public MultipathDevice device() {
        return device;
    }

    private volatile Runnable onServing = () -> { };

    /** Runs once FUSE INIT arrived (libfuse has set up its loop and signal handlers by then). */
    public void setOnServing(Runnable r) {
        this.onServing = r;
    }

    /** FUSE INIT arrived: the kernel connection is up. Scripts and tests wait for this line. */
    @Override
    public Pointer init(Pointer conn) {
        onServing.run();
        LOG.info("serving " + device.name() + " at " + mountPoint);
        return null;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        stat.st_uid.set(0);
        stat.st_gid.set(0);
        stat.st_mtim.tv_sec.set(mountTime);
        stat.st_ctim.tv_sec.set(mountTime);
        stat.st_atim.tv_sec.set(mountTime);
        if (path.equals("/") || path.equals(CTL)) {
            stat.st_mode.set(FileStat.S_IFDIR | 0755);
            stat.st_nlink.set(2);
            return 0;
        }
        if (path.equals(DISK)) {
            stat.st_mode.set(FileStat.S_IFREG | 0600);
            stat.st_nlink.set(1);
            stat.st_size.set(device.size());
            stat.st_blksize.set(Math.max(4096, device.blockSize()));
            stat.st_blocks.set(device.size() / 512);
            return 0;
        }
        if (ctl.containsKey(path)) {
            stat.st_mode.set(FileStat.S_IFREG | 0600);
            stat.st_nlink.set(1);
            stat.st_size.set(0); // generated content: read with direct_io, size unknown in advance
            return 0;
        }
        return -ErrorCodes.ENOENT();
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filter, @off_t long offset, FuseFileInfo fi) {
        filter.apply(buf, ".", null, 0);
        filter.apply(buf, "..", null, 0);
        if (path.equals("/")) {
            filter.apply(buf, "disk", null, 0);
            filter.apply(buf, "ctl", null, 0);
            return 0;
        }
        if (path.equals(CTL)) {
            for (String p : ctl.keySet()) {
                filter.apply(buf, p.substring(CTL.length() + 1), null, 0);
            }
            return 0;
        }
        return -ErrorCodes.ENOTDIR();
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        if (path.equals(DISK)) {
            fi.fh.set(0);
            return 0;
        }
        ControlFile f = ctl.get(path);
        if (f == null) {
            return -ErrorCodes.ENOENT();
        }
        fi.fh.set(handles.open(f));
        setDirectIo(fi);
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
        if (!path.equals(DISK)) {
            handles.release(fi.fh.get());
        }
        return 0;
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        if (path.equals(DISK)) {
            try {
                return aligner.read(offset, buf, 0, (int) Math.min(size, Integer.MAX_VALUE));
            } catch (DeviceIoException e) {
                return -e.errno();
            } catch (RuntimeException e) {
                LOG.severe("read " + offset + "+" + size + ": " + e);
                return -Errno.EIO;
            }
        }
        OpenHandles.Handle h = handles.get(fi.fh.get());
        if (h == null) {
            return -ErrorCodes.EBADF();
        }
        byte[] text;
        synchronized (h) {
            if (h.response != null) {
                text = h.response;
            } else {
                if (h.view == null || offset == 0) {
                    h.view = safeView(h.file).getBytes(StandardCharsets.UTF_8);
                }
                text = h.view;
            }
        }
        if (offset >= text.length) {
            return 0;
        }
        int n = (int) Math.min(size, text.length - offset);
        buf.put(0, text, (int) offset, n);
        return n;
    }

    private static String safeView(ControlFile f) {
        try {
            return f.view();
        } catch (RuntimeException e) {
            LOG.severe("ctl/" + f.name() + " view failed: " + e);
            return "error: " + e + "\n";
        }
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        if (path.equals(DISK)) {
            try {
                return aligner.write(offset, buf, 0, (int) Math.min(size, Integer.MAX_VALUE));
            } catch (DeviceIoException e) {
                return -e.errno();
            } catch (RuntimeException e) {
                LOG.severe("write " + offset + "+" + size + ": " + e);
                return -Errno.EIO;
            }
        }
        OpenHandles.Handle h = handles.get(fi.fh.get());
        if (h == null) {
            return -ErrorCodes.EBADF();
        }
        if (size > MAX_COMMAND) {
            synchronized (h) {
                h.response = ("error: command longer than " + MAX_COMMAND + " bytes\n").getBytes(StandardCharsets.UTF_8);
            }
            return -Errno.EINVAL;
        }
        byte[] raw = new byte[(int) size];
        buf.get(0, raw, 0, raw.length);
        String line = new String(raw, StandardCharsets.UTF_8);
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - 1);
        }
        synchronized (h) {
            try {
                String out = h.file.execute(line);
                h.response = (out.isEmpty() || out.endsWith("\n") ? out : out + "\n").getBytes(StandardCharsets.UTF_8);
                return (int) size;
            } catch (CtlException e) {
                h.response = ("error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
                LOG.info("ctl/" + h.file.name() + ": '" + abbreviate(line) + "': " + e.getMessage());
                return -e.errno();
            } catch (RuntimeException e) {
                // Never let a command kill the daemon; say what happened.
                h.response = ("error: internal: " + e + "\n").getBytes(StandardCharsets.UTF_8);
                LOG.severe("ctl/" + h.file.name() + ": '" + abbreviate(line) + "': " + e);
                return -Errno.EIO;
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /**
     * {@code user.mpathfs.identity} on /disk names the LU, so a disk of this mount used as a path of
     * another mount is recognised as the same LU as its other paths.
     */
    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        if (!path.equals(DISK) || !name.equals(io.mpathfs.backends.file.FilePath.IDENTITY_XATTR)) {
            return -Errno.ENODATA;
        }
        byte[] v = device.identity().getBytes(StandardCharsets.UTF_8);
        if (size == 0) {
            return v.length;
        }
        if (size < v.length) {
            return -Errno.ERANGE;
        }
        value.put(0, v, 0, v.length);
        return v.length;
    }

    /** Truncation is accepted and ignored: the disk has a fixed size (shells truncate on "&gt;"). */
    @Override
    public int truncate(String path, @off_t long size) {
        return path.equals(DISK) || ctl.containsKey(path) ? 0 : -ErrorCodes.ENOENT();
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        if (!path.equals(DISK)) {
            return 0;
        }
        try {
            aligner.flush();
            return 0;
        } catch (DeviceIoException e) {
            return -e.errno();
        }
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int ioctl(String path, int cmd, Pointer arg, FuseFileInfo fi, long flags, Pointer data) {
        DiskIoctl h = ioctlHandler;
        if (!path.equals(DISK) || h == null) {
            return -ErrorCodes.ENOTTY();
        }
        try {
            return h.ioctl(cmd, data);
        } catch (RuntimeException e) {
            LOG.severe("ioctl " + Integer.toHexString(cmd) + ": " + e);
            return -Errno.EIO;
        }
    }

    public void closeDevice() {
        aligner.close();
        device.close();
    }
}
