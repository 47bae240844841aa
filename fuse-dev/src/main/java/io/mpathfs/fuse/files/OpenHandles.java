package io.mpathfs.fuse.files;

import io.mpathfs.control.ctl.ControlFile;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open file of the mount by handle: the open(2) flags (a PR ioctl is allowed on a disk
 * opened for writing) and, for a ctl file, the response of the last command written on it, which
 * a read on the same open file returns (transaction-file semantics).
 */
final class OpenHandles {
    static final class Handle {
        /** null for /disk. */
        final ControlFile file;
        final int flags;
        /** null until a command was written on this handle; then that command's response. */
        byte[] response;
        /** The file offset just after the write that left the response. */
        long responseBase;
        /**
         * Where the response starts for this reader: 0, or responseBase when the first read after
         * the write came from there; -1 until that first read.
         */
        long responseOrigin = -1;
        /** The view, snapshotted at the first read so a reader sees one consistent text. */
        byte[] view;

        Handle(ControlFile file, int flags) {
            this.file = file;
            this.flags = flags;
        }

        /** O_WRONLY or O_RDWR. */
        boolean openedForWriting() {
            return (flags & 3) != 0;
        }
    }

    private final ConcurrentHashMap<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long open(ControlFile f, int flags) {
        long id = next.getAndIncrement();
        handles.put(id, new Handle(f, flags));
        return id;
    }

    Handle get(long id) {
        return handles.get(id);
    }

    void release(long id) {
        handles.remove(id);
    }

    int size() {
        return handles.size();
    }
}
