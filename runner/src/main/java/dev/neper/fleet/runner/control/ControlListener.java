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
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The server's control port. Unlike the C tool, which reads each new connection's hello with one
 * blocking read, it waits for hellos from all pending connections at once, each with a deadline, so
 * a peer that sends garbage, too little or nothing is counted in invalid_secret_count and dropped
 * without holding up valid clients. A connection closed without a single byte (a TCP readiness
 * probe, a port scan) is logged but not counted: it never claimed to be a client.
 */
public final class ControlListener implements AutoCloseable {
    /** How long a new connection may take to send its CLI_HELLO. */
    static final long HELLO_TIMEOUT_MILLIS = 5_000;

    /** readHello's verdict for a peer that closed without sending a byte. */
    private static final String PROBE = "closed without sending anything";

    private final int fd;
    private final InetSocketAddress address;
    private int invalidCount;
    private boolean closed;

    private ControlListener(int fd, InetSocketAddress address) {
        this.fd = fd;
        this.address = address;
    }

    /** Listens with SO_REUSEPORT and SO_REUSEADDR, as neper's control port does. */
    public static ControlListener open(InetSocketAddress bindAddress, int backlog) throws SysCallException {
        int fd = Sockets.open(SockAddr.family(bindAddress.getAddress()), Sockets.SOCK_NONBLOCK);
        try {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT, "SO_REUSEPORT", 1);
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, "SO_REUSEADDR", 1);
            Sockets.bind(fd, bindAddress);
            Sockets.listen(fd, backlog);
            return new ControlListener(fd, Sockets.localAddress(fd));
        } catch (SysCallException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Connections refused so far for a bad or missing CLI_HELLO. */
    public int invalidCount() {
        return invalidCount;
    }

    private static final class Pending {
        final int fd;
        final InetSocketAddress peer;
        final long deadline;
        final byte[] received = new byte[ControlMessage.SIZE];
        int filled;

        Pending(int fd, InetSocketAddress peer) {
            this.fd = fd;
            this.peer = peer;
            this.deadline = System.nanoTime() + HELLO_TIMEOUT_MILLIS * 1_000_000L;
        }
    }

    /** What a server does with a valid CLI_HELLO before it answers: the client acts on SER_ACK at once. */
    @FunctionalInterface
    public interface HelloListener {
        void hello(InetSocketAddress peer, ControlMessage hello);
    }

    /**
     * Accepts connections until {@code clients} of them sent a valid CLI_HELLO, answering each with
     * {@code ack} after {@code onHello} has taken it in. Waits without limit unless termination is requested.
     */
    public List<ControlConnection> acceptClients(int clients, ControlMessage ack, HelloListener onHello,
                                                 Termination termination) throws ControlException {
        List<ControlConnection> accepted = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); PollSet poll = new PollSet(4)) {
            MemorySegment chunk = arena.allocate(ControlMessage.SIZE);
            MemorySegment peerAddress = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            MemorySegment peerLength = arena.allocate(ValueLayout.JAVA_INT);
            while (accepted.size() < clients) {
                if (termination.requested()) {
                    accepted.forEach(ControlConnection::close);
                    throw new ControlException(termination.reason().kind(), termination.reason().message()
                            + " (waiting for " + (clients - accepted.size()) + " client(s) on " + address + ")");
                }
                poll.clear();
                poll.add(fd, PollSet.POLLIN);
                for (Pending p : pending) {
                    poll.add(p.fd, PollSet.POLLIN);
                }
                poll.await(ControlConnection.POLL_SLICE_MILLIS);
                if (poll.revents(0) != 0) {
                    acceptAll(pending, peerAddress, peerLength);
                }
                for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    String problem = readHello(p, chunk);
                    if (problem == null && p.filled < ControlMessage.SIZE) {
                        continue;
                    }
                    it.remove();
                    if (PROBE.equals(problem)) {
                        RunLog.info("connection from " + p.peer + " closed without sending anything (a probe?)");
                        Libc.close(p.fd);
                        continue;
                    }
                    if (problem == null) {
                        ControlMessage hello = ControlMessage.decode(p.received);
                        problem = helloProblem(hello);
                        if (problem == null) {
                            ControlConnection connection = new ControlConnection(p.fd, p.peer);
                            RunLog.info("CLI_HELLO from " + p.peer + ": " + hello);
                            onHello.hello(p.peer, hello);
                            connection.send(ack);
                            accepted.add(connection);
                            continue;
                        }
                    }
                    invalidCount++;
                    RunLog.warn("Invalid secret from " + p.peer + ": " + problem + "; received "
                            + HexFormat.of().formatHex(p.received, 0, p.filled));
                    Libc.close(p.fd);
                }
            }
        } catch (SysCallException e) {
            throw new ControlException(ErrorKind.INTERNAL, "control port " + address + ": " + e.getMessage(), e);
        } finally {
            // connections still mid-hello once enough clients are in would never be served: drop them
            pending.forEach(p -> Libc.close(p.fd));
        }
        return accepted;
    }

    private void acceptAll(List<Pending> pending, MemorySegment peerAddress, MemorySegment peerLength)
            throws SysCallException {
        while (true) {
            peerLength.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_SIZE);
            int conn = Libc.accept4(fd, peerAddress, peerLength, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            if (conn == -Errno.EAGAIN || conn == -Errno.ECONNABORTED || conn == -Errno.EINTR) {
                return;
            }
            SysCallException.check("accept4", conn);
            pending.add(new Pending(conn, SockAddr.decode(peerAddress)));
        }
    }

    /** Reads what has arrived; returns why the peer is invalid, or null while it is still fine. */
    private static String readHello(Pending p, MemorySegment chunk) {
        while (p.filled < ControlMessage.SIZE) {
            long n = Libc.recv(p.fd, chunk, ControlMessage.SIZE - p.filled, Sockets.MSG_DONTWAIT);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                break;
            }
            if (n == 0) {
                return p.filled == 0 ? PROBE : "closed after " + p.filled + " of " + ControlMessage.SIZE + " bytes";
            }
            if (n < 0) {
                return "read failed: " + Errno.describe((int) -n);
            }
            MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, p.received, p.filled, (int) n);
            p.filled += (int) n;
        }
        if (p.filled < ControlMessage.SIZE && System.nanoTime() > p.deadline) {
            return "sent " + p.filled + " of " + ControlMessage.SIZE + " bytes of CLI_HELLO within "
                    + HELLO_TIMEOUT_MILLIS + " ms";
        }
        return null;
    }

    /** The server checks only the secret and the type of CLI_HELLO, as neper does. */
    private static String helloProblem(ControlMessage hello) {
        if (!hello.hasSecret(ControlMessage.TCP_STREAM_SECRET)) {
            return "wrong secret";
        }
        if (!hello.is(MessageType.CLI_HELLO)) {
            return "expected CLI_HELLO, got " + ControlConnection.typeName(hello.type());
        }
        return null;
    }

    /** Closes the port (idempotent: a closed descriptor number may already belong to another socket). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
