package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Socket constants and setup-path helpers over {@link Libc} that throw on failure. */
public final class Sockets {
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_LINGER = 13;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_MARK = 36;
    public static final int SO_MAX_PACING_RATE = 47;
    public static final int SO_ZEROCOPY = 60;

    public static final int SOL_IP = 0;
    public static final int IP_RECVERR = 11;
    public static final int IP_FREEBIND = 15;

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int SOL_IPV6 = IPPROTO_IPV6;
    public static final int IPV6_RECVERR = 25;
    public static final int IPV6_V6ONLY = 26;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CONGESTION = 13;
    public static final int TCP_FASTOPEN_CONNECT = 30;
    public static final int TCP_ZEROCOPY_RECEIVE = 35;
    public static final int TCP_TX_DELAY = 37;

    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    public static final int MSG_ZEROCOPY = 0x4000000;

    public static final int SHUT_WR = 1;
    private static final long SIOCOUTQ = 0x5411;

    private Sockets() {
    }

    /** A connected pair of nonblocking AF_UNIX stream sockets. */
    public static int[] unixStreamPair() throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            SysCallException.check("socketpair", Libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds));
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    /**
     * A connected pair of TCP sockets over the loopback address, {connecting, accepted}, both opened
     * with {@code flags} (0 or SOCK_NONBLOCK): the kernel path that TCP_ZEROCOPY_RECEIVE and
     * MSG_ZEROCOPY need, which an AF_UNIX pair does not have.
     */
    public static int[] loopbackStreamPair(int flags, int timeoutMillis) throws SysCallException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int listener = open(SockAddr.family(loopback), 0);
        int connecting = -1;
        try {
            bind(listener, new InetSocketAddress(loopback, 0));
            listen(listener, 1);
            connecting = open(SockAddr.family(loopback), flags);
            connect(connecting, localAddress(listener), timeoutMillis);
            int accepted = SysCallException.check("accept4", Libc.accept4(listener, MemorySegment.NULL,
                    MemorySegment.NULL, flags | SOCK_CLOEXEC));
            return new int[] {connecting, accepted};
        } catch (SysCallException e) {
            closeQuietly(connecting);
            throw e;
        } finally {
            closeQuietly(listener);
        }
    }

    public static int open(int family, int flags) throws SysCallException {
        return SysCallException.check("socket", Libc.socket(family, SOCK_STREAM | SOCK_CLOEXEC | flags, 0));
    }

    public static void setInt(int fd, int level, int name, String what, int value) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
            SysCallException.check("setsockopt(" + what + ")", Libc.setsockopt(fd, level, name, v, 4));
        }
    }

    public static void setLong(int fd, int level, int name, String what, long value) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_LONG, value);
            SysCallException.check("setsockopt(" + what + ")", Libc.setsockopt(fd, level, name, v, 8));
        }
    }

    public static void setString(int fd, int level, int name, String what, String value) throws SysCallException {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(bytes.length + 1L);
            MemorySegment.copy(bytes, 0, v, ValueLayout.JAVA_BYTE, 0, bytes.length);
            SysCallException.check("setsockopt(" + what + ")", Libc.setsockopt(fd, level, name, v, bytes.length));
        }
    }

    /** A string option (e.g. SO_BINDTODEVICE, TCP_CONGESTION) read back; empty when unset. */
    public static String getString(int fd, int level, int name, String what, int capacity) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(capacity + 1L); // zeroed: the string ends within it
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, capacity);
            SysCallException.check("getsockopt(" + what + ")", Libc.getsockopt(fd, level, name, v, len));
            return v.getString(0);
        }
    }

    public static int getInt(int fd, int level, int name, String what) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
            SysCallException.check("getsockopt(" + what + ")", Libc.getsockopt(fd, level, name, v, len));
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * Bytes sent but not yet acknowledged by the peer (SIOCOUTQ: write_seq - snd_una); 0 means the
     * peer's TCP holds everything written.
     */
    public static int unacknowledgedBytes(int fd) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            SysCallException.check("ioctl(SIOCOUTQ)", Libc.ioctl(fd, SIOCOUTQ, value));
            return value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** SO_LINGER {on, seconds}: {1, 0} makes close() reset the connection instead of entering TIME_WAIT. */
    public static void setLinger(int fd, boolean on, int seconds) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(8, 4);
            v.set(ValueLayout.JAVA_INT, 0, on ? 1 : 0);
            v.set(ValueLayout.JAVA_INT, 4, seconds);
            SysCallException.check("setsockopt(SO_LINGER)", Libc.setsockopt(fd, SOL_SOCKET, SO_LINGER, v, 8));
        }
    }

    public static void bind(int fd, InetSocketAddress address) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = SockAddr.encode(arena, address);
            int r = Libc.bind(fd, sa, (int) sa.byteSize());
            if (r < 0) {
                throw new SysCallException("bind", -r, address.toString());
            }
        }
    }

    /**
     * Connects a nonblocking socket, waiting up to {@code timeoutMillis} for the handshake; the
     * exception names the address and the errno (ECONNREFUSED, ETIMEDOUT, ENETUNREACH...).
     */
    public static void connect(int fd, InetSocketAddress address, int timeoutMillis) throws SysCallException {
        if (!startConnect(fd, address)) {
            return;
        }
        if (PollSet.awaitOne(fd, PollSet.POLLOUT, timeoutMillis) == 0) {
            throw new SysCallException("connect", Errno.ETIMEDOUT, address + " after " + timeoutMillis + " ms");
        }
        finishConnect(fd, address);
    }

    /** Starts connecting a nonblocking socket; true while the handshake is still in progress. */
    public static boolean startConnect(int fd, InetSocketAddress address) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = SockAddr.encode(arena, address);
            int r = Libc.connect(fd, sa, (int) sa.byteSize());
            if (r == 0 || r == -Errno.EISCONN) {
                return false;
            }
            if (r != -Errno.EINPROGRESS && r != -Errno.EINTR) {
                throw new SysCallException("connect", -r, address.toString());
            }
            return true;
        }
    }

    /** Once a started connect's socket is writable: its outcome, from SO_ERROR. */
    public static void finishConnect(int fd, InetSocketAddress address) throws SysCallException {
        int error = getInt(fd, SOL_SOCKET, SO_ERROR, "SO_ERROR");
        if (error != 0) {
            throw new SysCallException("connect", error, address.toString());
        }
    }

    public static void listen(int fd, int backlog) throws SysCallException {
        SysCallException.check("listen", Libc.listen(fd, backlog));
    }

    public static InetSocketAddress localAddress(int fd) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, SockAddr.STORAGE_SIZE);
            SysCallException.check("getsockname", Libc.getsockname(fd, sa, len));
            return SockAddr.decode(sa);
        }
    }

    public static InetSocketAddress peerAddress(int fd) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, SockAddr.STORAGE_SIZE);
            SysCallException.check("getpeername", Libc.getpeername(fd, sa, len));
            return SockAddr.decode(sa);
        }
    }

    /** Closes, ignoring errors: used on cleanup paths where the descriptor is abandoned anyway. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }
}
