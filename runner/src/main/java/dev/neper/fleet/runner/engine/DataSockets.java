package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.PollSet;
import dev.neper.fleet.runner.sys.ReuseportNumaProgram;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Creating data sockets with the options tcp_stream sets on them. */
final class DataSockets {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private DataSockets() {
    }

    /**
     * The options neper sets on every data socket, listeners included, before it is established:
     * SO_DEBUG, SO_MARK, SO_REUSEADDR, IP_FREEBIND, SO_ZEROCOPY, TCP_NODELAY as asked; and on a client
     * SO_LINGER {1, 0} unless --time-wait, so a finished run leaves no TIME_WAIT sockets behind on its
     * ports.
     */
    static void applyUnestablishedOptions(int fd, Options o, boolean client) throws SysCallException {
        if (o.debug()) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_DEBUG, "SO_DEBUG", 1);
        }
        if (o.mark() != 0) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_MARK, "SO_MARK", o.mark());
        }
        if (o.reuseaddr()) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, "SO_REUSEADDR", 1);
        }
        if (o.freebind()) {
            Sockets.setInt(fd, Sockets.SOL_IP, Sockets.IP_FREEBIND, "IP_FREEBIND", 1);
        }
        if (o.zerocopy()) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_ZEROCOPY, "SO_ZEROCOPY", 1);
        }
        if (client && !o.timeWait()) {
            Sockets.setLinger(fd, true, 0);
        }
        if (o.noDelay()) {
            Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, "TCP_NODELAY", 1);
        }
    }

    /** The options neper sets once a connection exists: pacing, congestion control, TX delay. */
    static void applyConnectionOptions(int fd, Options o) throws SysCallException {
        if (o.maxPacingRate() > 0) {
            Sockets.setLong(fd, Sockets.SOL_SOCKET, Sockets.SO_MAX_PACING_RATE, "SO_MAX_PACING_RATE", o.maxPacingRate());
        }
        if (o.congestionControl() != null) {
            Sockets.setString(fd, Sockets.IPPROTO_TCP, Sockets.TCP_CONGESTION,
                    "TCP_CONGESTION " + o.congestionControl(), o.congestionControl());
        }
        if (o.tcpTxDelay() > 0) {
            Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_TX_DELAY, "TCP_TX_DELAY", o.tcpTxDelay());
        }
    }

    /** An accepted data connection: every option again, as neper sets them on accept. */
    static void applyAcceptedOptions(int fd, Options o) throws SysCallException {
        applyUnestablishedOptions(fd, o, false);
        applyConnectionOptions(fd, o);
    }

    /**
     * SO_BINDTODEVICE to the run's data-socket device ({@link Options#dataSocketDevice}), first thing on
     * a new socket: the route of every later bind and connect then goes through that device. Accepted
     * sockets inherit it from their listener.
     */
    static void bindToDevice(int fd, Options o) throws SysCallException {
        String device = o.dataSocketDevice();
        if (device != null) {
            Sockets.setString(fd, Sockets.SOL_SOCKET, Sockets.SO_BINDTODEVICE, "SO_BINDTODEVICE " + device, device);
        }
    }

    /** A nonblocking listener with SO_REUSEPORT, so every thread can listen on the same ports. */
    static int listen(InetSocketAddress address, Options o) throws SysCallException {
        return listen(address, o, null);
    }

    /** As {@link #listen(InetSocketAddress, Options)}, with -N's program choosing among the port's listeners. */
    static int listen(InetSocketAddress address, Options o, ReuseportNumaProgram steering) throws SysCallException {
        int fd = Sockets.open(SockAddr.family(address.getAddress()), Sockets.SOCK_NONBLOCK);
        try {
            bindToDevice(fd, o);
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT, "SO_REUSEPORT", 1);
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, "SO_REUSEADDR", 1);
            if (steering != null) {
                steering.attach(fd);
            }
            Sockets.bind(fd, address);
            applyUnestablishedOptions(fd, o, false);
            Sockets.listen(fd, o.listenBacklog());
            return fd;
        } catch (SysCallException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * A nonblocking client data socket, bound first to its source address when one is set, with its
     * connect started; {@link #finishConnect} completes it. With --tcp-fastopen the connect returns at
     * once and the SYN leaves with the first data (TCP_FASTOPEN_CONNECT).
     */
    static PendingConnect startConnect(InetSocketAddress target, InetSocketAddress source, Options o)
            throws SysCallException {
        int fd = Sockets.open(SockAddr.family(target.getAddress()), Sockets.SOCK_NONBLOCK);
        try {
            bindToDevice(fd, o);
            if (source != null) {
                Sockets.bind(fd, source);
            }
            if (o.tcpFastopen()) {
                Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_FASTOPEN_CONNECT, "TCP_FASTOPEN_CONNECT", 1);
            }
            applyUnestablishedOptions(fd, o, true);
            applyConnectionOptions(fd, o);
            return new PendingConnect(fd, target, Sockets.startConnect(fd, target));
        } catch (SysCallException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }

    /** A client socket whose connect was started; {@code inProgress} until the handshake ends. */
    record PendingConnect(int fd, InetSocketAddress target, boolean inProgress) {
    }

    /** Connects, waiting for the handshake: one flow at a time, as neper connects without --async-connect. */
    static int connect(InetSocketAddress target, InetSocketAddress source, Options o) throws SysCallException {
        PendingConnect pending = startConnect(target, source, o);
        try {
            if (pending.inProgress()) {
                finishConnect(List.of(pending));
            }
            return pending.fd();
        } catch (SysCallException e) {
            Sockets.closeQuietly(pending.fd());
            throw e;
        }
    }

    /**
     * Waits, up to {@link #CONNECT_TIMEOUT_MILLIS} in all, until every started connect has finished,
     * and checks each one's outcome; the caller closes the sockets if this throws.
     */
    static void finishConnect(List<PendingConnect> connects) throws SysCallException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_MILLIS * 1_000_000L;
        List<PendingConnect> waiting = new ArrayList<>(connects.stream().filter(PendingConnect::inProgress).toList());
        try (PollSet poll = new PollSet(waiting.size())) {
            while (!waiting.isEmpty()) {
                poll.clear();
                waiting.forEach(p -> poll.add(p.fd(), PollSet.POLLOUT));
                int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                if (poll.await(left) == 0 && System.nanoTime() >= deadline) {
                    throw new SysCallException("connect", Errno.ETIMEDOUT, waiting.getFirst().target() + " after "
                            + CONNECT_TIMEOUT_MILLIS + " ms");
                }
                List<PendingConnect> still = new ArrayList<>();
                for (int i = 0; i < waiting.size(); i++) {
                    if (poll.revents(i) == 0) {
                        still.add(waiting.get(i));
                    } else {
                        Sockets.finishConnect(waiting.get(i).fd(), waiting.get(i).target());
                    }
                }
                waiting = still;
            }
        }
    }
}
