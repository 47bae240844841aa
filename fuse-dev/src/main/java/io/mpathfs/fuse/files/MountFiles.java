package io.mpathfs.fuse.files;

import io.mpathfs.backends.file.FilePath;
import io.mpathfs.control.DeviceIoException;
import io.mpathfs.control.MultipathDevice;
import io.mpathfs.control.ctl.ControlFile;
import io.mpathfs.control.ctl.CtlException;
import io.mpathfs.control.io.BlockAligner;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * The files of one multipath device: {@code /disk} (the merged block file) and {@code /ctl/*}
 * (control files), with a block device node's permissions. Thin: every decision about IO and PR
 * lives in the control module; this class only maps files, handles, callers and errno values.
 */
public final class MountFiles implements DeviceFiles {
    private static final Logger LOG = Logger.getLogger("mpathfs");
    public static final String DISK = "/disk";
    private static final String ROOT = "/";
    private static final String CTL = "/ctl";
    private static final int MAX_COMMAND = 64 * 1024;
    /** The control files a monitoring group may read; every other one is root's alone. */
    private static final Set<String> GROUP_READABLE = Set.of("status", "paths");

    private final MultipathDevice device;
    private final BlockAligner aligner;
    private final FileAccess access;
    private final Map<String, ControlFile> ctl = new LinkedHashMap<>();
    private final OpenHandles handles = new OpenHandles();
    private volatile DiskIoctl ioctlHandler;
    private final long mountTime = System.currentTimeMillis() / 1000;

    public MountFiles(MultipathDevice device, List<ControlFile> controlFiles, FileAccess access) {
        this.device = device;
        this.aligner = new BlockAligner(device);
        this.access = access;
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

    public FileAccess access() {
        return access;
    }

    @Override
    public FileAttr attr(String path) {
        if (path.equals(ROOT)) {
            return new FileAttr(true, 0755, 0, 0, 0, 4096, mountTime);
        }
        if (path.equals(CTL)) {
            return new FileAttr(true, 0750, 0, access.gid(), 0, 4096, mountTime);
        }
        if (path.equals(DISK)) {
            return new FileAttr(false, access.diskMode(), 0, access.gid(), device.size(),
                    Math.max(4096, device.blockSize()), mountTime);
        }
        ControlFile f = ctl.get(path);
        if (f != null) {
            // Generated content, read with direct_io: the size is not known in advance.
            int mode = GROUP_READABLE.contains(f.name()) ? 0640 : 0600;
            return new FileAttr(false, mode, 0, access.gid(), 0, 4096, mountTime);
        }
        return null;
    }

    @Override
    public List<String> list(String dir) {
        if (dir.equals(ROOT)) {
            return List.of("disk", "ctl");
        }
        if (dir.equals(CTL)) {
            List<String> names = new ArrayList<>();
            for (String p : ctl.keySet()) {
                names.add(p.substring(CTL.length() + 1));
            }
            return names;
        }
        return null;
    }

    @Override
    public long open(String path, int flags, Caller caller) {
        if (path.equals(DISK)) {
            return handles.open(null, flags);
        }
        ControlFile f = ctl.get(path);
        if (f == null) {
            return -Errno.ENOENT;
        }
        return handles.open(f, flags);
    }

    @Override
    public boolean directIo(String path) {
        return ctl.containsKey(path);
    }

    @Override
    public boolean deviceData(String path) {
        return path.equals(DISK);
    }

    @Override
    public int readInto(String path, long handle, long offset, AlignedBuffer buf, int size) {
        if (!path.equals(DISK)) {
            return read(path, handle, offset, buf.pointer(), size);
        }
        try {
            return aligner.readInto(offset, buf, size);
        } catch (DeviceIoException e) {
            return -e.errno();
        } catch (RuntimeException e) {
            LOG.severe("read " + offset + "+" + size + ": " + e);
            return -Errno.EIO;
        }
    }

    @Override
    public int writeFrom(String path, long handle, long offset, AlignedBuffer buf, int size, Caller caller) {
        if (!path.equals(DISK)) {
            return write(path, handle, offset, buf.pointer(), size, caller);
        }
        try {
            return aligner.writeFrom(offset, buf, size);
        } catch (DeviceIoException e) {
            return -e.errno();
        } catch (RuntimeException e) {
            LOG.severe("write " + offset + "+" + size + ": " + e);
            return -Errno.EIO;
        }
    }

    @Override
    public void release(String path, long handle) {
        handles.release(handle);
    }

    @Override
    public int read(String path, long handle, long offset, Pointer buf, int size) {
        if (path.equals(DISK)) {
            try {
                return aligner.read(offset, buf, 0, size);
            } catch (DeviceIoException e) {
                return -e.errno();
            } catch (RuntimeException e) {
                LOG.severe("read " + offset + "+" + size + ": " + e);
                return -Errno.EIO;
            }
        }
        OpenHandles.Handle h = handles.get(handle);
        if (h == null || h.file == null) {
            return -Errno.EBADF;
        }
        byte[] text;
        long at = offset;
        synchronized (h) {
            if (h.response != null) {
                text = h.response;
                // The first read after the command says where the reader takes the answer to
                // start: at 0 (pread, or a reader that rewound) or at the writer's position (a
                // shell's `cat <&3` after `echo ... >&3`); later reads continue from there.
                if (h.responseOrigin < 0) {
                    h.responseOrigin = offset >= h.responseBase ? h.responseBase : 0;
                }
                at = offset >= h.responseOrigin ? offset - h.responseOrigin : offset;
            } else {
                if (h.view == null || offset == 0) {
                    h.view = safeView(h.file).getBytes(StandardCharsets.UTF_8);
                }
                text = h.view;
            }
        }
        if (at >= text.length) {
            return 0;
        }
        int n = (int) Math.min(size, text.length - at);
        buf.put(0, text, (int) at, n);
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
    public int write(String path, long handle, long offset, Pointer buf, int size, Caller caller) {
        if (path.equals(DISK)) {
            try {
                return aligner.write(offset, buf, 0, size);
            } catch (DeviceIoException e) {
                return -e.errno();
            } catch (RuntimeException e) {
                LOG.severe("write " + offset + "+" + size + ": " + e);
                return -Errno.EIO;
            }
        }
        OpenHandles.Handle h = handles.get(handle);
        if (h == null || h.file == null) {
            return -Errno.EBADF;
        }
        int rc = command(h, buf, size, caller);
        synchronized (h) {
            // Where the writer's file position is now: a read from there (a shell's `cat <&3` after
            // `echo ... >&3` on the same descriptor) gets the answer from its start, as does a read
            // at offset 0.
            h.responseBase = rc >= 0 ? offset + rc : offset;
            h.responseOrigin = -1;
        }
        return rc;
    }

    /** Runs one command written on a ctl file's handle and keeps its answer there; the write's result. */
    private int command(OpenHandles.Handle h, Pointer buf, int size, Caller caller) {
        // Control commands change the device, its reservations or the target: root's alone,
        // whatever the file's mode bits say.
        if (!caller.isRoot()) {
            respond(h, "error: permission denied: ctl/" + h.file.name() + " commands need root\n");
            LOG.warning("ctl/" + h.file.name() + ": command from " + caller + " refused (not root)");
            return -Errno.EACCES;
        }
        if (size > MAX_COMMAND) {
            respond(h, "error: command longer than " + MAX_COMMAND + " bytes\n");
            return -Errno.EINVAL;
        }
        byte[] raw = new byte[size];
        buf.get(0, raw, 0, raw.length);
        String line;
        try {
            // Strictly: a lenient decoder would turn bad bytes into U+FFFD and run (or name in a
            // reason) a command other than the one written.
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            respond(h, "error: command is not valid UTF-8\n");
            return -Errno.EINVAL;
        }
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - 1);
        }
        synchronized (h) {
            try {
                String out = h.file.execute(line);
                h.response = (out.isEmpty() || out.endsWith("\n") ? out : out + "\n").getBytes(StandardCharsets.UTF_8);
                return size;
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

    private static void respond(OpenHandles.Handle h, String text) {
        synchronized (h) {
            h.response = text.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[\\p{Cntrl}]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }

    /**
     * {@code user.mpathfs.identity} on /disk names the LU, so a disk of this mount used as a path of
     * another mount is recognised as the same LU as its other paths.
     */
    @Override
    public int getxattr(String path, String name, Pointer value, long size) {
        if (!path.equals(DISK) || !name.equals(FilePath.IDENTITY_XATTR)) {
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
    public int truncate(String path, long size) {
        return path.equals(DISK) || ctl.containsKey(path) ? 0 : -Errno.ENOENT;
    }

    @Override
    public int fsync(String path, long handle) {
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

    /**
     * The PR ioctls follow the block layer's rule: the caller has CAP_SYS_ADMIN, or opened the disk
     * for writing; anyone else gets EPERM. The caller is the request's, not the daemon's.
     */
    @Override
    public int ioctl(String path, long handle, int cmd, Pointer data, Caller caller) {
        DiskIoctl h = ioctlHandler;
        if (!path.equals(DISK) || h == null) {
            return -Errno.ENOTTY;
        }
        OpenHandles.Handle open = handles.get(handle);
        if (open == null) {
            return -Errno.EBADF;
        }
        if (!h.handles(cmd)) {
            return -Errno.ENOTTY;
        }
        if (!open.openedForWriting() && !caller.hasCapSysAdmin()) {
            LOG.warning("ioctl " + Integer.toHexString(cmd) + " on disk opened read-only by " + caller
                    + " without CAP_SYS_ADMIN: refused");
            return -Errno.EPERM;
        }
        try {
            return h.ioctl(cmd, data);
        } catch (RuntimeException e) {
            LOG.severe("ioctl " + Integer.toHexString(cmd) + ": " + e);
            return -Errno.EIO;
        }
    }

    public void close() {
        aligner.close();
        device.close();
    }
}
