package dev.eekbp.agent.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * An AF_UNIX SOCK_DGRAM socket (the JDK cannot send Unix datagrams, JDK-8297837).
 * Addresses are filesystem paths, or abstract names written "@name".
 * Used for sd_notify and, in tests, as the receiving end.
 */
public final class UnixDatagram implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_MAX = 108;
    private static final int SOCKADDR_UN_SIZE = 2 + SUN_PATH_MAX;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    // int socket(int domain, int type, int protocol);
    private static final MethodHandle SOCKET = NativeCall.errnoCapturing("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    // ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t len);
    private static final MethodHandle SENDTO = NativeCall.errnoCapturing("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    // int bind(int fd, const struct sockaddr *addr, socklen_t len);
    private static final MethodHandle BIND = NativeCall.errnoCapturing("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // ssize_t recv(int fd, void *buf, size_t len, int flags);
    private static final MethodHandle RECV = NativeCall.errnoCapturing("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    // int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
    private static final MethodHandle SETSOCKOPT = NativeCall.errnoCapturing("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // int close(int fd);
    private static final MethodHandle CLOSE = NativeCall.plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int fd;
    private final String address;

    private UnixDatagram(int fd, String address) {
        this.fd = fd;
        this.address = address;
    }

    /** An unbound socket for sending. */
    public static UnixDatagram open() throws NativeException {
        return new UnixDatagram(socket(), "");
    }

    /** A socket bound to {@code address} (path or "@abstract") for receiving. */
    public static UnixDatagram bind(String address) throws NativeException {
        int fd = socket();
        UnixDatagram d = new UnixDatagram(fd, address);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(a);
            Sockaddr sa = sockaddr(a, address);
            int r = (int) NativeCall.invoke(BIND, state, fd, sa.segment(), sa.length());
            if (r < 0) {
                int errno = NativeCall.errno(state);
                d.close();
                throw NativeException.of("bind", errno, "binding unix datagram socket " + address);
            }
        }
        return d;
    }

    private static int socket() throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(a);
            int fd = (int) NativeCall.invoke(SOCKET, state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw NativeException.of("socket", NativeCall.errno(state), "creating AF_UNIX datagram socket");
            }
            return fd;
        }
    }

    private record Sockaddr(MemorySegment segment, int length) {
    }

    /** struct sockaddr_un; abstract names start with NUL and carry no trailing NUL. */
    private static Sockaddr sockaddr(Arena a, String address) throws NativeException {
        boolean abstractName = address.startsWith("@");
        byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        int pathLen = name.length + 1; // the abstract NUL or the trailing NUL
        if (address.isEmpty() || pathLen > SUN_PATH_MAX) {
            throw new NativeException("sockaddr_un", Errno.EINVAL,
                    "unix socket address \"" + address + "\" is empty or longer than " + (SUN_PATH_MAX - 1)
                            + " bytes");
        }
        MemorySegment sa = a.allocate(SOCKADDR_UN_SIZE, 2);
        sa.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, sa, JAVA_BYTE, abstractName ? 3 : 2, name.length);
        // Path: length counts the trailing NUL. Abstract: leading NUL + name, no trailing NUL.
        return new Sockaddr(sa, 2 + pathLen);
    }

    /** Sends one datagram to {@code to}. */
    public void send(String to, String message) throws NativeException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(a);
            Sockaddr sa = sockaddr(a, to);
            MemorySegment buf = a.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, bytes.length);
            long r = (long) NativeCall.invoke(SENDTO, state, fd, buf, (long) bytes.length, MSG_NOSIGNAL,
                    sa.segment(), sa.length());
            if (r < 0) {
                throw NativeException.of("sendto", NativeCall.errno(state), "sending to unix socket " + to);
            }
        }
    }

    /**
     * Receives one datagram, waiting at most {@code timeoutMillis} (0 = forever).
     * Returns null on timeout.
     */
    public String receive(int maxBytes, long timeoutMillis) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(a);
            MemorySegment tv = a.allocate(16, 8);
            tv.set(JAVA_LONG, 0, timeoutMillis / 1000);
            tv.set(JAVA_LONG, 8, (timeoutMillis % 1000) * 1000);
            int r = (int) NativeCall.invoke(SETSOCKOPT, state, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            if (r < 0) {
                throw NativeException.of("setsockopt", NativeCall.errno(state), "SO_RCVTIMEO");
            }
            MemorySegment buf = a.allocate(maxBytes);
            long n = (long) NativeCall.invoke(RECV, state, fd, buf, (long) maxBytes, 0);
            if (n < 0) {
                int errno = NativeCall.errno(state);
                if (errno == Errno.EAGAIN) {
                    return null;
                }
                throw NativeException.of("recv", errno, "receiving on unix socket " + address);
            }
            byte[] out = buf.asSlice(0, n).toArray(JAVA_BYTE);
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        NativeCall.invoke(CLOSE, fd);
    }
}
