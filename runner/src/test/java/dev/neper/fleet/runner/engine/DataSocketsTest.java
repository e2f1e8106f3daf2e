package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.PollSet;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.testing.Ports;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-socket options, set through FFM and read back from the kernel. */
class DataSocketsTest {
    @Test
    void optionsReachTheKernel() throws Exception {
        Options o = Options.defaults().with(OptionSpec.MAX_PACING_RATE, 12_500_000L).with(OptionSpec.MARK, 7)
                .with(OptionSpec.CONGESTION_CONTROL, "reno").with(OptionSpec.TCP_TX_DELAY, 100)
                .with(OptionSpec.NO_DELAY, true);
        int fd = Sockets.open(SockAddr.AF_INET, 0);
        try {
            DataSockets.applyUnestablishedOptions(fd, o, true);
            DataSockets.applyConnectionOptions(fd, o);
            assertEquals(12_500_000, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_MAX_PACING_RATE, "pacing"));
            assertEquals(7, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_MARK, "mark"));
            assertEquals(100, Sockets.getInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_TX_DELAY, "tx delay"));
            assertEquals(1, Sockets.getInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, "nodelay"));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment name = arena.allocate(16);
                MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
                assertEquals(0, Libc.getsockopt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_CONGESTION, name, len));
                assertEquals("reno", name.getString(0));
                MemorySegment linger = arena.allocate(8);
                MemorySegment lingerLen = arena.allocateFrom(ValueLayout.JAVA_INT, 8);
                assertEquals(0, Libc.getsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_LINGER, linger, lingerLen));
                assertEquals(1, linger.get(ValueLayout.JAVA_INT, 0), "l_onoff");
                assertEquals(0, linger.get(ValueLayout.JAVA_INT, 4), "l_linger");
            }
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * -d, -R, --freebind and -Z on the listener, the client socket and the accepted one, -X on the
     * client, read back with getsockopt from sockets of a real loopback connection; and none of them
     * without the flags.
     */
    @Test
    void neperSocketFlagsReachListenerClientAndAcceptedSockets() throws Exception {
        Options flagged = Options.defaults().with(OptionSpec.DEBUG, true).with(OptionSpec.REUSEADDR, true)
                .with(OptionSpec.FREEBIND, true).with(OptionSpec.ZEROCOPY, true).with(OptionSpec.TCP_FASTOPEN, true);
        for (Options o : List.of(flagged, Options.defaults())) {
            int expected = o == flagged ? 1 : 0;
            int listener = DataSockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), o);
            int client = -1;
            int accepted = -1;
            try {
                DataSockets.PendingConnect pending = DataSockets.startConnect(Sockets.localAddress(listener), null, o);
                client = pending.fd();
                DataSockets.finishConnect(List.of(pending));
                if (o == flagged) {
                    // TCP_FASTOPEN_CONNECT defers the SYN to the first write
                    Libc.send(client, Arena.ofAuto().allocate(1), 1, Sockets.MSG_NOSIGNAL);
                }
                assertEquals(expected, Sockets.getInt(client, Sockets.IPPROTO_TCP, Sockets.TCP_FASTOPEN_CONNECT, "fo"));
                assertTrue(PollSet.awaitOne(listener, PollSet.POLLIN, 5000) != 0, "connection to accept");
                accepted = Libc.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, Sockets.SOCK_NONBLOCK);
                assertTrue(accepted >= 0, "accept4: " + accepted);
                DataSockets.applyAcceptedOptions(accepted, o);
                for (int fd : new int[] {listener, client, accepted}) {
                    String which = fd == listener ? "listener" : fd == client ? "client" : "accepted";
                    assertEquals(expected, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_DEBUG, "debug"), which);
                    assertEquals(expected, Sockets.getInt(fd, Sockets.SOL_IP, Sockets.IP_FREEBIND, "freebind"), which);
                    assertEquals(expected, Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_ZEROCOPY, "zc"), which);
                    // listeners always have SO_REUSEADDR (as neper's), and accepted sockets inherit it
                    assertEquals(fd == client ? expected : 1,
                            Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, "reuseaddr"), which);
                }
            } finally {
                Sockets.closeQuietly(accepted);
                Sockets.closeQuietly(client);
                Libc.close(listener);
            }
        }
    }

    @Test
    void asyncConnectsFinishTogetherAndARefusedOneNamesItsAddress() throws Exception {
        int listener = DataSockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Options.defaults());
        List<DataSockets.PendingConnect> started = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                started.add(DataSockets.startConnect(Sockets.localAddress(listener), null, Options.defaults()));
            }
            DataSockets.finishConnect(started);
            for (DataSockets.PendingConnect p : started) {
                assertEquals(Sockets.localAddress(listener), Sockets.peerAddress(p.fd()));
            }
            InetSocketAddress closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), Ports.freeBlock(1));
            DataSockets.PendingConnect refused = DataSockets.startConnect(closed, null, Options.defaults());
            started.add(refused);
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> DataSockets.finishConnect(List.of(refused)));
            assertTrue(e.getMessage().contains("ECONNREFUSED") && e.getMessage().contains(closed.toString()),
                    e.getMessage());
        } finally {
            started.forEach(p -> Sockets.closeQuietly(p.fd()));
            Libc.close(listener);
        }
    }

    @Test
    void serversAndTimeWaitClientsKeepTheDefaultLinger() throws Exception {
        for (boolean client : new boolean[] {false, true}) {
            int fd = Sockets.open(SockAddr.AF_INET, 0);
            try {
                DataSockets.applyUnestablishedOptions(fd, Options.defaults().with(OptionSpec.TIME_WAIT, client), client);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment linger = arena.allocate(8);
                    MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 8);
                    assertEquals(0, Libc.getsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_LINGER, linger, len));
                    assertEquals(0, linger.get(ValueLayout.JAVA_INT, 0));
                }
            } finally {
                Libc.close(fd);
            }
        }
    }

    @Test
    void anUnknownCongestionControlIsAnErrorNamingIt() {
        Options o = Options.defaults().with(OptionSpec.CONGESTION_CONTROL, "warp-drive");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
            int fd = Sockets.open(SockAddr.AF_INET, 0);
            try {
                DataSockets.applyConnectionOptions(fd, o);
            } finally {
                Libc.close(fd);
            }
        });
        assertEquals("setsockopt(TCP_CONGESTION warp-drive): ENOENT (2, No such file or directory)", e.getMessage());
    }
}
