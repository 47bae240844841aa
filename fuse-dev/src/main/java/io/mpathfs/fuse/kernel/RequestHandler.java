package io.mpathfs.fuse.kernel;

import static io.mpathfs.fuse.kernel.FuseLayout.*;

import io.mpathfs.fuse.files.Caller;
import io.mpathfs.fuse.files.DeviceFiles;
import io.mpathfs.fuse.files.FileAttr;
import io.mpathfs.nativeshim.AlignedBuffer;
import io.mpathfs.nativeshim.Errno;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * Decodes one FUSE request from a worker's buffer, calls the mount's files and writes the reply.
 * One per worker, with that worker's preallocated buffers: the request is read at
 * {@link #REQUEST_OFFSET} so that a WRITE's payload starts on the page boundary at {@link #DATA}
 * and goes to the paths from there; a READ's data is read into the same place and sent from it.
 * A request that cannot be decoded is answered with an errno (never left without an answer); one
 * without even a readable id is dropped, since nothing could be answered to it.
 */
final class RequestHandler {
    private static final Logger LOG = Logger.getLogger("mpathfs");

    /** Where the data of a READ or WRITE sits in the in buffer. */
    static final int DATA = 4096;
    /** Where a request is read: the WRITE header and fuse_write_in end exactly at DATA. */
    static final int REQUEST_OFFSET = DATA - InHeader.SIZEOF - WriteIn.SIZEOF;
    /** Room for the largest WRITE, plus slack for any other request's arguments. */
    static final int IN_CAPACITY = DATA + FuseSession.MAX_IO + 2 * 4096;
    /** What one read(2) of /dev/fuse may return (the kernel requires room for a full WRITE). */
    static final int READ_SIZE = IN_CAPACITY - REQUEST_OFFSET;
    static final int OUT_CAPACITY = 64 * 1024;
    /** _IOC_SIZE's 14 bits: the largest argument struct of a restricted ioctl. */
    private static final int MAX_IOCTL = (1 << 14) - 1;
    private static final long VALID_SECONDS = 1;
    private static final int DT_DIR = 4, DT_REG = 8;

    private final FuseSession session;
    private final DeviceFiles files;
    private final ReplyChannel channel;
    private final Pointer in;
    private final Pointer out;
    private final AlignedBuffer data;
    private Caller caller = new Caller(-1, -1, -1);

    /** Request fields of the request being handled. */
    private long unique;
    private int args;
    private int argLen;

    RequestHandler(FuseSession session, AlignedBuffer inBuffer, AlignedBuffer outBuffer, ReplyChannel channel) {
        this.session = session;
        this.files = session.files;
        this.channel = channel;
        this.in = inBuffer.pointer();
        this.out = outBuffer.pointer();
        this.data = AlignedBuffer.view(inBuffer.address() + DATA, inBuffer.capacity() - DATA);
        if (inBuffer.capacity() < IN_CAPACITY || outBuffer.capacity() < OUT_CAPACITY) {
            throw new IllegalArgumentException("worker buffers too small");
        }
    }

    /** Handles the n bytes read at REQUEST_OFFSET. */
    void handle(int n) {
        if (n < OutHeader.SIZEOF) {
            LOG.warning("fuse: a request of " + n + " bytes has no id to answer; dropped");
            return;
        }
        int base = REQUEST_OFFSET;
        unique = in.getLong(base + InHeader.UNIQUE);
        if (n < InHeader.SIZEOF || in.getInt(base + InHeader.LEN) != n) {
            LOG.warning("fuse: malformed request (" + n + " bytes read, header says "
                    + (n >= 4 ? in.getInt(base + InHeader.LEN) : -1) + ")");
            error(Errno.EIO);
            return;
        }
        int opcode = in.getInt(base + InHeader.OPCODE);
        long nodeId = in.getLong(base + InHeader.NODEID);
        args = base + InHeader.SIZEOF;
        argLen = n - InHeader.SIZEOF;
        try {
            dispatch(opcode, nodeId);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "fuse: opcode " + opcode + " failed", e);
            error(Errno.EIO);
        }
    }

    private void dispatch(int opcode, long nodeId) {
        if (opcode == Op.INIT) {
            init();
            return;
        }
        if (!session.initialized()) {
            error(Errno.EIO);
            return;
        }
        switch (opcode) {
            case Op.READ -> read(nodeId);
            case Op.WRITE -> write(nodeId);
            case Op.LOOKUP -> lookup(nodeId);
            case Op.GETATTR -> getattr(nodeId);
            case Op.SETATTR -> setattr(nodeId);
            case Op.OPEN -> open(nodeId);
            case Op.RELEASE -> release(nodeId);
            case Op.FLUSH, Op.FSYNCDIR, Op.RELEASEDIR -> ok();
            case Op.FSYNC -> fsync(nodeId);
            case Op.OPENDIR -> opendir(nodeId);
            case Op.READDIR -> readdir(nodeId);
            case Op.GETXATTR -> getxattr(nodeId);
            case Op.LISTXATTR -> listxattr();
            case Op.STATFS -> statfs();
            case Op.IOCTL -> ioctl(nodeId);
            // No answer is due to these. Node ids are never freed; an interrupted request is
            // answered when it completes (queued IO included), as libfuse2's loop does without intr.
            case Op.FORGET, Op.BATCH_FORGET, Op.INTERRUPT -> { }
            case Op.DESTROY -> {
                session.destroy();
                ok();
            }
            default -> error(Errno.ENOSYS);
        }
    }

    // ---- requests

    private void init() {
        if (argLen < 16) {
            error(Errno.EINVAL);
            return;
        }
        int major = in.getInt(args + InitIn.MAJOR);
        long flags = in.getInt(args + InitIn.FLAGS) & 0xffffffffL;
        if (major < FUSE_KERNEL_VERSION) {
            error(Errno.EPROTO);
            return;
        }
        clear(OutHeader.SIZEOF, InitOut.SIZEOF);
        int o = OutHeader.SIZEOF;
        out.putInt(o + InitOut.MAJOR, FUSE_KERNEL_VERSION);
        if (major > FUSE_KERNEL_VERSION) {
            // Our major only: the kernel sends INIT again in it.
            reply(InitOut.SIZEOF);
            return;
        }
        if ((flags & FUSE_INIT_EXT) != 0 && argLen >= InitIn.FLAGS2 + 4) {
            flags |= (in.getInt(args + InitIn.FLAGS2) & 0xffffffffL) << 32;
        }
        long wanted = FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_ASYNC_DIO | FUSE_PARALLEL_DIROPS | FUSE_MAX_PAGES
                | FUSE_INIT_EXT | FUSE_DIRECT_IO_ALLOW_MMAP;
        if (session.uringWanted) {
            wanted |= FUSE_OVER_IO_URING;
        }
        long granted = flags & wanted;
        out.putInt(o + InitOut.MINOR, FUSE_KERNEL_MINOR_VERSION);
        out.putInt(o + InitOut.MAX_READAHEAD, in.getInt(args + InitIn.MAX_READAHEAD));
        out.putInt(o + InitOut.FLAGS, (int) granted);
        out.putShort(o + InitOut.MAX_BACKGROUND, (short) FuseSession.MAX_BACKGROUND);
        out.putShort(o + InitOut.CONGESTION_THRESHOLD, (short) FuseSession.CONGESTION_THRESHOLD);
        out.putInt(o + InitOut.MAX_WRITE, FuseSession.MAX_IO);
        out.putInt(o + InitOut.TIME_GRAN, 1);
        out.putShort(o + InitOut.MAX_PAGES, (short) FuseSession.MAX_PAGES);
        out.putInt(o + InitOut.FLAGS2, (int) (granted >>> 32));
        // Initialized before the reply: the kernel lets other requests through the moment it has
        // it, and another worker may read one before this line would run.
        session.initialize((granted & FUSE_OVER_IO_URING) != 0);
        reply(InitOut.SIZEOF);
        session.serving();
    }

    private void read(long nodeId) {
        if (!need(ReadIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        long fh = in.getLong(args + ReadIn.FH);
        long offset = in.getLong(args + ReadIn.OFFSET);
        int size = in.getInt(args + ReadIn.SIZE);
        if (path == null) {
            error(Errno.ENOENT);
            return;
        }
        if (size < 0 || size > data.capacity() || offset < 0) {
            error(Errno.EINVAL);
            return;
        }
        int r = session.noopReads && files.deviceData(path) ? size : files.readInto(path, fh, offset, data, size);
        if (r < 0) {
            error(-r);
            return;
        }
        header(OutHeader.SIZEOF + Math.min(r, size), 0);
        channel.send(out, OutHeader.SIZEOF, data.pointer(), Math.min(r, size));
    }

    private void write(long nodeId) {
        if (!need(WriteIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        long fh = in.getLong(args + WriteIn.FH);
        long offset = in.getLong(args + WriteIn.OFFSET);
        int size = in.getInt(args + WriteIn.SIZE);
        if (path == null) {
            error(Errno.ENOENT);
            return;
        }
        if (size < 0 || size > argLen - WriteIn.SIZEOF || offset < 0) {
            error(Errno.EINVAL);
            return;
        }
        int r = files.writeFrom(path, fh, offset, data, size, caller());
        if (r < 0) {
            error(-r);
            return;
        }
        clear(OutHeader.SIZEOF, WriteOut.SIZEOF);
        out.putInt(OutHeader.SIZEOF + WriteOut.SIZE, r);
        reply(WriteOut.SIZEOF);
    }

    private void lookup(long parentId) {
        String dir = session.nodes.path(parentId);
        String name = name(args, argLen);
        if (dir == null || name == null) {
            error(dir == null ? Errno.ENOENT : Errno.EINVAL);
            return;
        }
        String path = NodeTable.child(dir, name);
        long id = session.nodes.id(path);
        FileAttr a = id == 0 ? null : files.attr(path);
        if (a == null) {
            error(Errno.ENOENT);
            return;
        }
        int o = OutHeader.SIZEOF;
        clear(o, EntryOut.SIZEOF);
        out.putLong(o + EntryOut.NODEID, id);
        out.putLong(o + EntryOut.ENTRY_VALID, VALID_SECONDS);
        out.putLong(o + EntryOut.ATTR_VALID, VALID_SECONDS);
        putAttr(o + EntryOut.ATTR, id, a);
        reply(EntryOut.SIZEOF);
    }

    private void getattr(long nodeId) {
        String path = session.nodes.path(nodeId);
        FileAttr a = path == null ? null : files.attr(path);
        if (a == null) {
            error(Errno.ENOENT);
            return;
        }
        replyAttr(nodeId, a);
    }

    /** Only the size can be "set" (and is ignored by a fixed-size file); owners and modes come from the options. */
    private void setattr(long nodeId) {
        if (!need(SetattrIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        if (path == null) {
            error(Errno.ENOENT);
            return;
        }
        int valid = in.getInt(args + SetattrIn.VALID);
        if ((valid & (FATTR_MODE | FATTR_UID | FATTR_GID)) != 0) {
            error(Errno.EPERM);
            return;
        }
        if ((valid & FATTR_SIZE) != 0) {
            int rc = files.truncate(path, in.getLong(args + SetattrIn.SIZE));
            if (rc < 0) {
                error(-rc);
                return;
            }
        }
        FileAttr a = files.attr(path);
        if (a == null) {
            error(Errno.ENOENT);
            return;
        }
        replyAttr(nodeId, a);
    }

    private void open(long nodeId) {
        if (!need(OpenIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        if (path == null) {
            error(Errno.ENOENT);
            return;
        }
        long fh = files.open(path, in.getInt(args + OpenIn.FLAGS), caller());
        if (fh < 0) {
            error((int) -fh);
            return;
        }
        int flags = files.deviceData(path) ? FOPEN_DIRECT_IO | FOPEN_PARALLEL_DIRECT_WRITES
                : files.directIo(path) ? FOPEN_DIRECT_IO : 0;
        replyOpen(fh, flags);
    }

    private void release(long nodeId) {
        if (!need(ReleaseIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        if (path != null) {
            files.release(path, in.getLong(args + ReleaseIn.FH));
        }
        ok();
    }

    private void fsync(long nodeId) {
        if (!need(FsyncIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        if (path == null) {
            error(Errno.ENOENT);
            return;
        }
        int rc = files.fsync(path, in.getLong(args + FsyncIn.FH));
        if (rc < 0) {
            error(-rc);
        } else {
            ok();
        }
    }

    private void opendir(long nodeId) {
        String path = session.nodes.path(nodeId);
        if (path == null || files.list(path) == null) {
            error(path == null ? Errno.ENOENT : Errno.ENOTDIR);
            return;
        }
        replyOpen(0, 0);
    }

    /** Entries from the offset's index on ("." and ".." first), as many as fit the size asked for. */
    private void readdir(long nodeId) {
        if (!need(ReadIn.SIZEOF)) {
            return;
        }
        String dir = session.nodes.path(nodeId);
        List<String> names = dir == null ? null : files.list(dir);
        if (names == null) {
            error(dir == null ? Errno.ENOENT : Errno.ENOTDIR);
            return;
        }
        long offset = in.getLong(args + ReadIn.OFFSET);
        int size = Math.min(in.getInt(args + ReadIn.SIZE), OUT_CAPACITY - OutHeader.SIZEOF);
        int o = OutHeader.SIZEOF;
        int used = 0;
        for (long i = Math.max(0, offset); i < names.size() + 2L; i++) {
            String name;
            long ino;
            int type;
            if (i == 0) {
                name = ".";
                ino = nodeId;
                type = DT_DIR;
            } else if (i == 1) {
                name = "..";
                ino = session.nodes.id(NodeTable.parent(dir));
                type = DT_DIR;
            } else {
                name = names.get((int) i - 2);
                String p = NodeTable.child(dir, name);
                ino = session.nodes.id(p);
                FileAttr a = files.attr(p);
                type = a != null && a.directory() ? DT_DIR : DT_REG;
            }
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            int entry = (Dirent.SIZEOF + b.length + 7) & ~7;
            if (used + entry > size) {
                break;
            }
            int e = o + used;
            clear(e, entry);
            out.putLong(e + Dirent.INO, ino);
            out.putLong(e + Dirent.OFF, i + 1);
            out.putInt(e + Dirent.NAMELEN, b.length);
            out.putInt(e + Dirent.TYPE, type);
            out.put(e + Dirent.NAME, b, 0, b.length);
            used += entry;
        }
        reply(used);
    }

    private void getxattr(long nodeId) {
        if (!need(GetxattrIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        int size = in.getInt(args + GetxattrIn.SIZE);
        String name = name(args + GetxattrIn.SIZEOF, argLen - GetxattrIn.SIZEOF);
        if (path == null || name == null || size < 0) {
            error(path == null ? Errno.ENOENT : Errno.EINVAL);
            return;
        }
        int room = OUT_CAPACITY - OutHeader.SIZEOF;
        int r = files.getxattr(path, name, out.slice(OutHeader.SIZEOF, room), Math.min(size, room));
        if (r < 0) {
            error(-r);
            return;
        }
        if (size == 0) {
            clear(OutHeader.SIZEOF, GetxattrOut.SIZEOF);
            out.putInt(OutHeader.SIZEOF + GetxattrOut.SIZE, r);
            reply(GetxattrOut.SIZEOF);
        } else {
            reply(r);
        }
    }

    /** No file has attributes to list (identity is asked for by name). */
    private void listxattr() {
        if (!need(GetxattrIn.SIZEOF)) {
            return;
        }
        if (in.getInt(args + GetxattrIn.SIZE) == 0) {
            clear(OutHeader.SIZEOF, GetxattrOut.SIZEOF);
            reply(GetxattrOut.SIZEOF);
        } else {
            reply(0);
        }
    }

    private void statfs() {
        int o = OutHeader.SIZEOF + StatfsOut.ST;
        clear(OutHeader.SIZEOF, StatfsOut.SIZEOF);
        out.putInt(o + Kstatfs.BSIZE, 4096);
        out.putInt(o + Kstatfs.FRSIZE, 4096);
        out.putInt(o + Kstatfs.NAMELEN, 255);
        reply(StatfsOut.SIZEOF);
    }

    /**
     * A restricted ioctl (regular files): the kernel copied the argument struct in when the command
     * writes (_IOC_WRITE, in_size bytes after fuse_ioctl_in) and copies out_size bytes back when it
     * reads. The struct is handed to the files in our out buffer, right where the reply carries it.
     */
    private void ioctl(long nodeId) {
        if (!need(IoctlIn.SIZEOF)) {
            return;
        }
        String path = session.nodes.path(nodeId);
        long fh = in.getLong(args + IoctlIn.FH);
        int flags = in.getInt(args + IoctlIn.FLAGS);
        int cmd = in.getInt(args + IoctlIn.CMD);
        int inSize = in.getInt(args + IoctlIn.IN_SIZE);
        int outSize = in.getInt(args + IoctlIn.OUT_SIZE);
        if (path == null) {
            error(Errno.ENOENT);
            return;
        }
        if ((flags & FUSE_IOCTL_UNRESTRICTED) != 0) {
            error(Errno.ENOTTY);
            return;
        }
        if (inSize < 0 || outSize < 0 || inSize > MAX_IOCTL || outSize > MAX_IOCTL
                || inSize > argLen - IoctlIn.SIZEOF) {
            error(Errno.EINVAL);
            return;
        }
        int at = OutHeader.SIZEOF + IoctlOut.SIZEOF;
        int len = Math.max(Math.max(inSize, outSize), 1);
        clear(OutHeader.SIZEOF, IoctlOut.SIZEOF + len);
        in.transferTo(args + IoctlIn.SIZEOF, out, at, inSize);
        int r = files.ioctl(path, fh, cmd, out.slice(at, len), caller());
        if (r < 0) {
            error(-r);
            return;
        }
        out.putInt(OutHeader.SIZEOF + IoctlOut.RESULT, r);
        reply(IoctlOut.SIZEOF + outSize);
    }

    // ---- helpers

    private Caller caller() {
        int base = REQUEST_OFFSET;
        int uid = in.getInt(base + InHeader.UID);
        int gid = in.getInt(base + InHeader.GID);
        int pid = in.getInt(base + InHeader.PID);
        Caller c = caller;
        if (c.uid() != uid || c.gid() != gid || c.pid() != pid) {
            c = new Caller(uid, gid, pid);
            caller = c;
        }
        return c;
    }

    /** Whether the request carries at least the struct the opcode needs; answers EINVAL when not. */
    private boolean need(int structSize) {
        if (argLen < structSize) {
            error(Errno.EINVAL);
            return false;
        }
        return true;
    }

    /** A NUL-terminated name within [at, at + len), or null when it is not terminated or empty. */
    private String name(int at, int len) {
        for (int i = 0; i < len; i++) {
            if (in.getByte(at + i) == 0) {
                if (i == 0) {
                    return null;
                }
                byte[] b = new byte[i];
                in.get(at, b, 0, i);
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void putAttr(int o, long ino, FileAttr a) {
        out.putLong(o + Attr.INO, ino);
        out.putLong(o + Attr.SIZE, a.size());
        out.putLong(o + Attr.BLOCKS, (a.size() + 511) / 512);
        out.putLong(o + Attr.ATIME, a.mtimeSeconds());
        out.putLong(o + Attr.MTIME, a.mtimeSeconds());
        out.putLong(o + Attr.CTIME, a.mtimeSeconds());
        out.putInt(o + Attr.MODE, a.fullMode());
        out.putInt(o + Attr.NLINK, a.links());
        out.putInt(o + Attr.UID, a.uid());
        out.putInt(o + Attr.GID, a.gid());
        out.putInt(o + Attr.BLKSIZE, a.blockSize());
    }

    private void replyAttr(long nodeId, FileAttr a) {
        int o = OutHeader.SIZEOF;
        clear(o, AttrOut.SIZEOF);
        out.putLong(o + AttrOut.ATTR_VALID, VALID_SECONDS);
        putAttr(o + AttrOut.ATTR, nodeId, a);
        reply(AttrOut.SIZEOF);
    }

    private void replyOpen(long fh, int openFlags) {
        clear(OutHeader.SIZEOF, OpenOut.SIZEOF);
        out.putLong(OutHeader.SIZEOF + OpenOut.FH, fh);
        out.putInt(OutHeader.SIZEOF + OpenOut.OPEN_FLAGS, openFlags);
        reply(OpenOut.SIZEOF);
    }

    private void clear(int at, int len) {
        out.setMemory(at, len, (byte) 0);
    }

    private void header(int len, int errno) {
        out.putInt(OutHeader.LEN, len);
        out.putInt(OutHeader.ERROR, -errno);
        out.putLong(OutHeader.UNIQUE, unique);
    }

    private void reply(int argBytes) {
        header(OutHeader.SIZEOF + argBytes, 0);
        channel.send(out, OutHeader.SIZEOF + argBytes);
    }

    private void ok() {
        reply(0);
    }

    private void error(int errno) {
        header(OutHeader.SIZEOF, errno <= 0 || errno > 4095 ? Errno.EIO : errno);
        channel.send(out, OutHeader.SIZEOF);
    }
}
