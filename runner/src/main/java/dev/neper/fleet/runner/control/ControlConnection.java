package dev.neper.fleet.runner.control;

import dev.neper.fleet.runner.lifecycle.Termination;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.PollSet;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One control connection (a nonblocking socket). Each message goes out in one write and is read
 * fully, as the C tool expects; every wait polls in short slices so termination is noticed.
 */
public final class ControlConnection implements AutoCloseable {
    static final int POLL_SLICE_MILLIS = 100;
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    static final long RETRY_PAUSE_MILLIS = 1_000;

    private final int fd;
    private final InetSocketAddress peer;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(ControlMessage.SIZE);
    /** Reused by every wait, which polls in slices for the whole run: no allocation per slice. */
    private final PollSet poll = new PollSet(1);

    ControlConnection(int fd, InetSocketAddress peer) {
        this.fd = fd;
        this.peer = peer;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * Connects to the first address that answers, through {@code device} and from {@code source} when
     * given (else the route's device and address), retrying the whole list {@code attempts} times one second apart, as neper's client
     * does; sets TCP_NODELAY. A socket that connected to itself (a
     * local port nobody listens on, picked as its own source port) counts as refused.
     */
    public static ControlConnection connect(List<InetAddress> addresses, InetSocketAddress source, String device,
                                            int port, int attempts, Termination termination) throws ControlException {
        String lastError = "no address to connect to";
        for (int attempt = 1; attempt <= attempts && !termination.requested(); attempt++) {
            for (InetAddress address : addresses) {
                InetSocketAddress target = new InetSocketAddress(address, port);
                int fd = -1;
                try {
                    fd = Sockets.open(SockAddr.family(address), Sockets.SOCK_NONBLOCK);
                    if (device != null) {
                        Sockets.setString(fd, Sockets.SOL_SOCKET, Sockets.SO_BINDTODEVICE, "SO_BINDTODEVICE " + device,
                                device);
                    }
                    if (source != null) {
                        Sockets.bind(fd, source);
                    }
                    Sockets.connect(fd, target, CONNECT_TIMEOUT_MILLIS);
                    if (Sockets.localAddress(fd).equals(Sockets.peerAddress(fd))) {
                        // nothing listens on a local port in the ephemeral range and the kernel picked that very
                        // port as the source: TCP's simultaneous open connected the socket to itself
                        throw new SysCallException("connect", Errno.ECONNREFUSED, target + " (connected to itself)");
                    }
                    Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, "TCP_NODELAY", 1);
                    return new ControlConnection(fd, target);
                } catch (SysCallException e) {
                    Sockets.closeQuietly(fd);
                    lastError = e.getMessage();
                    RunLog.info("control connect attempt " + attempt + "/" + attempts + ": " + lastError);
                }
            }
            if (attempt < attempts) {
                sleep(RETRY_PAUSE_MILLIS, termination);
            }
        }
        if (termination.requested()) {
            throw new ControlException(termination.reason().kind(), termination.reason().message());
        }
        throw new ControlException(ErrorKind.CONNECT_FAILED, "could not connect to the control port " + port + " of "
                + addresses + " after " + attempts + " attempts: " + lastError);
    }

    private static void sleep(long millis, Termination termination) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!termination.requested() && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(POLL_SLICE_MILLIS, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public void send(ControlMessage message) throws ControlException {
        byte[] wire = message.encode();
        MemorySegment.copy(wire, 0, buffer, ValueLayout.JAVA_BYTE, 0, wire.length);
        long sent = Libc.send(fd, buffer, wire.length, Sockets.MSG_NOSIGNAL);
        if (sent != wire.length) {
            throw new ControlException(ErrorKind.PEER_LOST, "sending " + typeName(message.type()) + " to " + peer
                    + " failed: " + (sent < 0 ? Errno.describe((int) -sent) : "short write of " + sent + " bytes"));
        }
    }

    /**
     * Reads one whole message; {@code timeoutMillis} < 0 waits until the peer answers or goes away.
     * Throws PEER_LOST when the peer closes first and CONTROL_PROTOCOL on a timeout.
     */
    public ControlMessage receive(String expecting, long timeoutMillis, Termination termination)
            throws ControlException {
        int filled = 0;
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        while (filled < ControlMessage.SIZE) {
            if (termination.requested()) {
                throw new ControlException(termination.reason().kind(), termination.reason().message()
                        + " (waiting for " + expecting + " from " + peer + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new ControlException(ErrorKind.CONTROL_PROTOCOL, "no " + expecting + " from " + peer + " within "
                        + timeoutMillis + " ms (got " + filled + " of " + ControlMessage.SIZE + " bytes)");
            }
            try {
                poll.clear();
                poll.add(fd, PollSet.POLLIN);
                if (poll.await(POLL_SLICE_MILLIS) == 0) {
                    continue;
                }
            } catch (SysCallException e) {
                throw new ControlException(ErrorKind.INTERNAL, e.getMessage(), e);
            }
            long n = Libc.recv(fd, buffer.asSlice(filled), ControlMessage.SIZE - filled, 0);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                throw new ControlException(ErrorKind.PEER_LOST, "control connection to " + peer + " "
                        + (n == 0 ? "closed" : "failed: " + Errno.describe((int) -n)) + " while waiting for "
                        + expecting + " (got " + filled + " of " + ControlMessage.SIZE + " bytes)");
            }
            filled += (int) n;
        }
        return ControlMessage.decode(buffer.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Checks magic and type of a received message; the client treats a mismatch as fatal. */
    public static void expect(ControlMessage message, MessageType type, int magic, InetSocketAddress from)
            throws ControlException {
        if (!message.is(type) || message.magic() != magic) {
            throw new ControlException(ErrorKind.CONTROL_PROTOCOL, "expected " + type + " with magic " + magic
                    + " from " + from + ", got " + typeName(message.type()) + " with magic " + message.magic());
        }
    }

    static String typeName(int type) {
        for (MessageType t : MessageType.values()) {
            if (t.code() == type) {
                return t.name();
            }
        }
        return "unknown type " + type;
    }

    public void shutdownOutput() {
        Libc.shutdown(fd, Sockets.SHUT_WR);
    }

    @Override
    public void close() {
        Libc.close(fd);
        poll.close();
        arena.close();
    }
}
