package io.mpathfs.fuse.fuse3;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.ssize_t;

/**
 * Sets FOPEN_PARALLEL_DIRECT_WRITES in the open reply for files that ask for it. libfuse 3.14 (the
 * Debian package here) has no fuse_file_info.parallel_direct_writes — it came in 3.15 — so the flag
 * cannot be requested through the API. Instead the session's writes to /dev/fuse go through
 * {@link #writev}: the open callback marks its thread, and since libfuse sends the open reply from
 * that same thread right after the callback returns, the next reply this thread writes is that
 * open reply; its open_flags get the bit. Reading /dev/fuse stays libc's own read (the custom read
 * slot takes the address of read(2): the extra userdata argument is ignored by the ABI), so errno
 * from the device reaches libfuse untouched.
 */
final class ParallelWritesOnOpen {
    /** libc's writev, called from our writev (the replacement must still write). */
    public interface Libc {
        @ssize_t long writev(int fd, Pointer iov, int count);

        long pthread_self();
    }

    /**
     * Native threads (pthread_self) whose next reply is an open to patch. Not a ThreadLocal: jnr
     * attaches a libfuse thread to the JVM per upcall, so open and writev run on two different
     * java.lang.Thread objects even though they are one native thread.
     */
    private final Set<Long> nextReplyIsParallelOpen = ConcurrentHashMap.newKeySet();

    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Libc libc = LibraryLoader.create(Libc.class).failImmediately().load("c");
    private final Fuse3Callbacks.Writev writev = this::writev;
    private final Pointer customIo;

    ParallelWritesOnOpen() {
        customIo = Memory.allocateDirect(runtime, Fuse3Layout.CUSTOM_IO_SIZE, true);
        customIo.putAddress(Fuse3Layout.CUSTOM_IO_WRITEV,
                runtime.getClosureManager().getClosurePointer(Fuse3Callbacks.Writev.class, writev).address());
        long libcRead = com.kenai.jffi.Library.getDefault().getSymbolAddress("read");
        if (libcRead == 0) {
            throw new IllegalStateException("read(2) not found in the process");
        }
        customIo.putAddress(Fuse3Layout.CUSTOM_IO_READ, libcRead);
    }

    /** struct fuse_custom_io for fuse_session_custom_io; lives as long as this object. */
    Pointer customIo() {
        return customIo;
    }

    /** Called by a successful open, on the native thread that sends its reply next. */
    void markThisThreadsOpenReply() {
        nextReplyIsParallelOpen.add(libc.pthread_self());
    }

    private long writev(int fd, Pointer iov, int count, Pointer userData) {
        // Most replies: the set is empty and no native call is needed to know it.
        if (!nextReplyIsParallelOpen.isEmpty() && nextReplyIsParallelOpen.remove(libc.pthread_self())) {
            patchOpenReply(iov, count);
        }
        long n = libc.writev(fd, iov, count);
        if (n < 0) {
            // libfuse reads errno (ENOENT: the request was interrupted) after we return.
            LastError.setLastError(runtime, LastError.getLastError(runtime));
        }
        return n;
    }

    /** A successful open reply is {fuse_out_header, fuse_open_out}: two iovecs of 16 bytes. */
    private void patchOpenReply(Pointer iov, int count) {
        if (count != 2) {
            return;
        }
        Pointer header = iov.getPointer(Fuse3Layout.IOVEC_BASE);
        long headerLen = iov.getLong(Fuse3Layout.IOVEC_LEN);
        Pointer openOut = iov.getPointer(Fuse3Layout.IOVEC_SIZE + Fuse3Layout.IOVEC_BASE);
        long openOutLen = iov.getLong(Fuse3Layout.IOVEC_SIZE + Fuse3Layout.IOVEC_LEN);
        if (headerLen != Fuse3Layout.OUT_HEADER_SIZE || openOutLen != Fuse3Layout.OPEN_OUT_SIZE
                || header.getInt(Fuse3Layout.OUT_HEADER_ERROR) != 0) {
            return;
        }
        int flags = openOut.getInt(Fuse3Layout.OPEN_OUT_FLAGS);
        // Only meaningful (and only asked for) together with FOPEN_DIRECT_IO.
        if ((flags & Fuse3Layout.FOPEN_DIRECT_IO) != 0) {
            openOut.putInt(Fuse3Layout.OPEN_OUT_FLAGS, flags | Fuse3Layout.FOPEN_PARALLEL_DIRECT_WRITES);
        }
    }
}
