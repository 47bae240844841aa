package io.mpathfs.nativeshim;

import java.util.Map;

/**
 * Linux x86_64 errno numbers the project names: the data path decides on them (EIO → path failure,
 * EBADE → reservation conflict, ...), and errors shown to users speak this language.
 */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19,
            ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, EROFS = 30, ERANGE = 34,
            EBADE = 52, ENODATA = 61, ENOSYS = 38, ETIME = 62, ENOLINK = 67, EPROTO = 71, EOPNOTSUPP = 95,
            ENOTCONN = 107, ESHUTDOWN = 108, ECONNRESET = 104, ECONNABORTED = 103,
            ETIMEDOUT = 110, EHOSTDOWN = 112, ECANCELED = 125, EREMOTEIO = 121, ENOMEDIUM = 123;

    private static final Map<Integer, String[]> NAMES = Map.ofEntries(
            Map.entry(EPERM, new String[] {"EPERM", "Operation not permitted"}),
            Map.entry(ENOENT, new String[] {"ENOENT", "No such file or directory"}),
            Map.entry(EINTR, new String[] {"EINTR", "Interrupted system call"}),
            Map.entry(EIO, new String[] {"EIO", "Input/output error"}),
            Map.entry(ENXIO, new String[] {"ENXIO", "No such device or address"}),
            Map.entry(E2BIG, new String[] {"E2BIG", "Argument list too long"}),
            Map.entry(EBADF, new String[] {"EBADF", "Bad file descriptor"}),
            Map.entry(EAGAIN, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
            Map.entry(ENOMEM, new String[] {"ENOMEM", "Cannot allocate memory"}),
            Map.entry(EACCES, new String[] {"EACCES", "Permission denied"}),
            Map.entry(EFAULT, new String[] {"EFAULT", "Bad address"}),
            Map.entry(EBUSY, new String[] {"EBUSY", "Device or resource busy"}),
            Map.entry(EEXIST, new String[] {"EEXIST", "File exists"}),
            Map.entry(ENODEV, new String[] {"ENODEV", "No such device"}),
            Map.entry(EISDIR, new String[] {"EISDIR", "Is a directory"}),
            Map.entry(EINVAL, new String[] {"EINVAL", "Invalid argument"}),
            Map.entry(ENOTTY, new String[] {"ENOTTY", "Inappropriate ioctl for device"}),
            Map.entry(ENOTDIR, new String[] {"ENOTDIR", "Not a directory"}),
            Map.entry(ENOSYS, new String[] {"ENOSYS", "Function not implemented"}),
            Map.entry(EFBIG, new String[] {"EFBIG", "File too large"}),
            Map.entry(ENOSPC, new String[] {"ENOSPC", "No space left on device"}),
            Map.entry(EROFS, new String[] {"EROFS", "Read-only file system"}),
            Map.entry(ERANGE, new String[] {"ERANGE", "Numerical result out of range"}),
            Map.entry(EBADE, new String[] {"EBADE", "Invalid exchange"}),
            Map.entry(ENODATA, new String[] {"ENODATA", "No data available"}),
            Map.entry(ETIME, new String[] {"ETIME", "Timer expired"}),
            Map.entry(ENOLINK, new String[] {"ENOLINK", "Link has been severed"}),
            Map.entry(EPROTO, new String[] {"EPROTO", "Protocol error"}),
            Map.entry(EOPNOTSUPP, new String[] {"EOPNOTSUPP", "Operation not supported"}),
            Map.entry(ECONNABORTED, new String[] {"ECONNABORTED", "Software caused connection abort"}),
            Map.entry(ECONNRESET, new String[] {"ECONNRESET", "Connection reset by peer"}),
            Map.entry(ENOTCONN, new String[] {"ENOTCONN", "Transport endpoint is not connected"}),
            Map.entry(ESHUTDOWN, new String[] {"ESHUTDOWN", "Cannot send after transport endpoint shutdown"}),
            Map.entry(ETIMEDOUT, new String[] {"ETIMEDOUT", "Connection timed out"}),
            Map.entry(EHOSTDOWN, new String[] {"EHOSTDOWN", "Host is down"}),
            Map.entry(EREMOTEIO, new String[] {"EREMOTEIO", "Remote I/O error"}),
            Map.entry(ENOMEDIUM, new String[] {"ENOMEDIUM", "No medium found"}),
            Map.entry(ECANCELED, new String[] {"ECANCELED", "Operation canceled"}));

    private Errno() {
    }

    /** "EIO" for 5; "errno 200" for numbers without a name here. */
    public static String name(int errno) {
        String[] n = NAMES.get(errno);
        return n == null ? "errno " + errno : n[0];
    }

    /** strerror-like text: "Invalid exchange" for EBADE. */
    public static String describe(int errno) {
        String[] n = NAMES.get(errno);
        return n == null ? "Unknown error " + errno : n[1];
    }
}
