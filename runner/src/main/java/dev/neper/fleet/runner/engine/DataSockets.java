package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.net.InetSocketAddress;

/** Creating data sockets with the options tcp_stream sets on them. */
final class DataSockets {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private DataSockets() {
    }

    /**
     * The options neper sets on every data socket before it is established: pacing, mark,
     * congestion control, TX delay, no-delay; and on a client SO_LINGER {1, 0} unless --time-wait, so
     * a finished run leaves no TIME_WAIT sockets behind on its ports.
     */
    static void applyOptions(int fd, Options o, boolean client) throws SysCallException {
        if (o.maxPacingRate() > 0) {
            Sockets.setLong(fd, Sockets.SOL_SOCKET, Sockets.SO_MAX_PACING_RATE, "SO_MAX_PACING_RATE", o.maxPacingRate());
        }
        if (o.mark() != 0) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_MARK, "SO_MARK", o.mark());
        }
        if (o.congestionControl() != null) {
            Sockets.setString(fd, Sockets.IPPROTO_TCP, Sockets.TCP_CONGESTION,
                    "TCP_CONGESTION " + o.congestionControl(), o.congestionControl());
        }
        if (o.tcpTxDelay() > 0) {
            Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_TX_DELAY, "TCP_TX_DELAY", o.tcpTxDelay());
        }
        if (o.noDelay()) {
            Sockets.setInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, "TCP_NODELAY", 1);
        }
        if (client && !o.timeWait()) {
            Sockets.setLinger(fd, true, 0);
        }
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
        int fd = Sockets.open(SockAddr.family(address.getAddress()), Sockets.SOCK_NONBLOCK);
        try {
            bindToDevice(fd, o);
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT, "SO_REUSEPORT", 1);
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, "SO_REUSEADDR", 1);
            Sockets.bind(fd, address);
            Sockets.listen(fd, o.listenBacklog());
            return fd;
        } catch (SysCallException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }

    /** A nonblocking connected client data socket, bound first to its source address when one is set. */
    static int connect(InetSocketAddress target, InetSocketAddress source, Options o) throws SysCallException {
        int fd = Sockets.open(SockAddr.family(target.getAddress()), Sockets.SOCK_NONBLOCK);
        try {
            bindToDevice(fd, o);
            if (source != null) {
                Sockets.bind(fd, source);
            }
            applyOptions(fd, o, true);
            Sockets.connect(fd, target, CONNECT_TIMEOUT_MILLIS);
            return fd;
        } catch (SysCallException e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }
}
