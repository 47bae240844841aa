package io.mpathfs.fuse.kernel;

import io.mpathfs.fuse.files.Caller;
import io.mpathfs.fuse.files.DeviceFiles;
import io.mpathfs.fuse.files.FileAttr;
import io.mpathfs.nativeshim.Errno;
import java.util.List;
import jnr.ffi.Pointer;

/** A disk of 1 MiB in memory and an empty ctl directory; ioctls add one to the struct's first u64. */
final class FakeDeviceFiles implements DeviceFiles {
    final byte[] disk = new byte[1 << 20];
    long lastDataAddress = -1;
    Caller lastCaller;

    @Override
    public FileAttr attr(String path) {
        return switch (path) {
            case "/", "/ctl" -> new FileAttr(true, 0755, 0, 0, 0, 4096, 0);
            case "/disk" -> new FileAttr(false, 0660, 0, 6, disk.length, 4096, 0);
            default -> null;
        };
    }

    @Override
    public List<String> list(String dir) {
        return dir.equals("/") ? List.of("disk", "ctl") : dir.equals("/ctl") ? List.of() : null;
    }

    @Override
    public long open(String path, int flags, Caller caller) {
        return 7;
    }

    @Override
    public boolean directIo(String path) {
        return false;
    }

    @Override
    public boolean deviceData(String path) {
        return path.equals("/disk");
    }

    @Override
    public int read(String path, long handle, long offset, Pointer buf, int size) {
        lastDataAddress = buf.address();
        int n = (int) Math.max(0, Math.min(size, disk.length - offset));
        buf.put(0, disk, (int) offset, n);
        return n;
    }

    @Override
    public int write(String path, long handle, long offset, Pointer buf, int size, Caller caller) {
        lastDataAddress = buf.address();
        if (offset + size > disk.length) {
            return -Errno.ENOSPC;
        }
        buf.get(0, disk, (int) offset, size);
        return size;
    }

    @Override
    public int fsync(String path, long handle) {
        return 0;
    }

    @Override
    public void release(String path, long handle) {
    }

    @Override
    public int ioctl(String path, long handle, int cmd, Pointer data, Caller caller) {
        lastCaller = caller;
        data.putLong(0, data.getLong(0) + 1);
        return 0x18;
    }

    @Override
    public int getxattr(String path, String name, Pointer value, long size) {
        return -Errno.ENODATA;
    }

    @Override
    public int truncate(String path, long size) {
        return 0;
    }
}
