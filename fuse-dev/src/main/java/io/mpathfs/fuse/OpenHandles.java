package io.mpathfs.fuse;

import io.mpathfs.control.ctl.ControlFile;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * State of each open ctl file (fuse_file_info.fh → handle): the response of the last command
 * written on it, which a read on the same open file returns (transaction-file semantics).
 */
final class OpenHandles {
    static final class Handle {
        final ControlFile file;
        /** null until a command was written on this handle; then that command's response. */
        byte[] response;
        /** The view, snapshotted at the first read so a reader sees one consistent text. */
        byte[] view;

        Handle(ControlFile file) {
            this.file = file;
        }
    }

    private final ConcurrentHashMap<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long open(ControlFile f) {
        long id = next.getAndIncrement();
        handles.put(id, new Handle(f));
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
