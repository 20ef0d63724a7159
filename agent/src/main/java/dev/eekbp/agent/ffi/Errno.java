package dev.eekbp.agent.ffi;

/** Linux x86-64 errno numbers with their symbolic names and descriptions. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int EBADMSG = 74;
    public static final int ENOTSOCK = 88;
    public static final int EMSGSIZE = 90;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int ENOKEY = 126;
    public static final int EKEYEXPIRED = 127;
    public static final int EKEYREVOKED = 128;
    public static final int EKEYREJECTED = 129;

    private static final String[][] TABLE = new String[134][];

    static {
        put(EPERM, "EPERM", "operation not permitted");
        put(ENOENT, "ENOENT", "no such file or directory");
        put(ESRCH, "ESRCH", "no such process");
        put(EINTR, "EINTR", "interrupted system call");
        put(EIO, "EIO", "input/output error");
        put(6, "ENXIO", "no such device or address");
        put(7, "E2BIG", "argument list too long");
        put(ENOEXEC, "ENOEXEC", "exec format error");
        put(EBADF, "EBADF", "bad file descriptor");
        put(10, "ECHILD", "no child processes");
        put(EAGAIN, "EAGAIN", "resource temporarily unavailable");
        put(ENOMEM, "ENOMEM", "cannot allocate memory");
        put(EACCES, "EACCES", "permission denied");
        put(EFAULT, "EFAULT", "bad address");
        put(EBUSY, "EBUSY", "device or resource busy");
        put(EEXIST, "EEXIST", "file exists");
        put(18, "EXDEV", "invalid cross-device link");
        put(ENODEV, "ENODEV", "no such device");
        put(20, "ENOTDIR", "not a directory");
        put(21, "EISDIR", "is a directory");
        put(EINVAL, "EINVAL", "invalid argument");
        put(23, "ENFILE", "too many open files in system");
        put(24, "EMFILE", "too many open files");
        put(ENOTTY, "ENOTTY", "inappropriate ioctl for device");
        put(ETXTBSY, "ETXTBSY", "text file busy");
        put(27, "EFBIG", "file too large");
        put(ENOSPC, "ENOSPC", "no space left on device");
        put(29, "ESPIPE", "illegal seek");
        put(EROFS, "EROFS", "read-only file system");
        put(32, "EPIPE", "broken pipe");
        put(ERANGE, "ERANGE", "numerical result out of range");
        put(35, "EDEADLK", "resource deadlock avoided");
        put(36, "ENAMETOOLONG", "file name too long");
        put(ENOSYS, "ENOSYS", "function not implemented");
        put(39, "ENOTEMPTY", "directory not empty");
        put(40, "ELOOP", "too many levels of symbolic links");
        put(ENODATA, "ENODATA", "no data available");
        put(62, "ETIME", "timer expired");
        put(71, "EPROTO", "protocol error");
        put(EBADMSG, "EBADMSG", "bad message");
        put(75, "EOVERFLOW", "value too large for defined data type");
        put(ENOTSOCK, "ENOTSOCK", "socket operation on non-socket");
        put(89, "EDESTADDRREQ", "destination address required");
        put(EMSGSIZE, "EMSGSIZE", "message too long");
        put(91, "EPROTOTYPE", "protocol wrong type for socket");
        put(EOPNOTSUPP, "EOPNOTSUPP", "operation not supported");
        put(EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported by protocol");
        put(EADDRINUSE, "EADDRINUSE", "address already in use");
        put(104, "ECONNRESET", "connection reset by peer");
        put(ENOBUFS, "ENOBUFS", "no buffer space available");
        put(107, "ENOTCONN", "transport endpoint is not connected");
        put(ETIMEDOUT, "ETIMEDOUT", "connection timed out");
        put(ECONNREFUSED, "ECONNREFUSED", "connection refused");
        put(113, "EHOSTUNREACH", "no route to host");
        put(114, "EALREADY", "operation already in progress");
        put(115, "EINPROGRESS", "operation now in progress");
        put(125, "ECANCELED", "operation canceled");
        put(ENOKEY, "ENOKEY", "required key not available");
        put(EKEYEXPIRED, "EKEYEXPIRED", "key has expired");
        put(EKEYREVOKED, "EKEYREVOKED", "key has been revoked");
        put(EKEYREJECTED, "EKEYREJECTED", "key was rejected by service");
    }

    private Errno() {
    }

    private static void put(int n, String name, String text) {
        TABLE[n] = new String[] {name, text};
    }

    /** Symbolic name such as "ENOSYS"; "errno N" for numbers not in the table. */
    public static String name(int errno) {
        String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
        return e != null ? e[0] : "errno " + errno;
    }

    /** Short description as strerror(3) would give it. */
    public static String description(int errno) {
        String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
        return e != null ? e[1] : "unknown error";
    }
}
