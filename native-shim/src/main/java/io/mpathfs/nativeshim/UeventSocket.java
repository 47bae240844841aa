package io.mpathfs.nativeshim;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The kernel's device events: a NETLINK_KOBJECT_UEVENT socket bound to the kernel's broadcast
 * group (what udev listens to). Each message is one uevent, "ACTION@DEVPATH" and then KEY=VALUE
 * strings, NUL-separated. Receives wait at most a given time, so a reader thread can stop.
 */
public final class UeventSocket implements AutoCloseable {
    /** The socket calls, bound apart from {@link LibC}: only this class uses them. */
    public interface SocketCalls {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int addrlen);

        int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

        @ssize_t long recv(int fd, Pointer buf, @size_t long len, int flags);

        int close(int fd);
    }

    private static final SocketCalls CALLS = LibraryLoader.create(SocketCalls.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(CALLS);
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_KOBJECT_UEVENT = 15;
    private static final int KERNEL_GROUP = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int BUFFER = 64 * 1024;
    private static final int ENOBUFS = 105;

    private final int fd;
    private final Pointer buffer = Memory.allocateDirect(RUNTIME, BUFFER);
    private long timeoutMs = -1;

    private UeventSocket(int fd) {
        this.fd = fd;
    }

    public static UeventSocket open() throws NativeException {
        int fd = CALLS.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        if (fd < 0) {
            throw new NativeException("socket", "NETLINK_KOBJECT_UEVENT", RUNTIME.getLastError());
        }
        Pointer addr = Memory.allocateDirect(RUNTIME, 12); // struct sockaddr_nl
        addr.putShort(0, (short) AF_NETLINK);
        addr.putInt(4, 0); // nl_pid 0: the kernel assigns one
        addr.putInt(8, KERNEL_GROUP);
        if (CALLS.bind(fd, addr, 12) != 0) {
            int errno = RUNTIME.getLastError();
            CALLS.close(fd);
            throw new NativeException("bind", "NETLINK_KOBJECT_UEVENT", errno);
        }
        Pointer size = Memory.allocateDirect(RUNTIME, 4);
        size.putInt(0, 1 << 20); // a burst of events (a new HBA's disks) must not overflow the queue
        CALLS.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
        return new UeventSocket(fd);
    }

    /**
     * The next event's raw bytes, or null when none came within timeoutMs; an empty array when
     * the kernel dropped events (ENOBUFS: the queue overflowed), i.e. anything may have changed.
     */
    public byte[] receive(long timeoutMs) throws NativeException {
        if (timeoutMs != this.timeoutMs) {
            Pointer tv = Memory.allocateDirect(RUNTIME, 16); // struct timeval
            tv.putLong(0, timeoutMs / 1000);
            tv.putLong(8, (timeoutMs % 1000) * 1000);
            if (CALLS.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16) != 0) {
                throw new NativeException("setsockopt SO_RCVTIMEO", "uevent socket", RUNTIME.getLastError());
            }
            this.timeoutMs = timeoutMs;
        }
        long n = CALLS.recv(fd, buffer, BUFFER, 0);
        if (n < 0) {
            int errno = RUNTIME.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return null;
            }
            if (errno == ENOBUFS) {
                return new byte[0];
            }
            throw new NativeException("recv", "uevent socket", errno);
        }
        byte[] out = new byte[(int) n];
        buffer.get(0, out, 0, out.length);
        return out;
    }

    @Override
    public void close() {
        CALLS.close(fd);
    }
}
