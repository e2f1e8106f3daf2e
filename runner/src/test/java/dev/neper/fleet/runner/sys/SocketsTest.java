package dev.neper.fleet.runner.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loopback TCP pair the warm-up runs --rx-zerocopy and --zerocopy over, against the real kernel. */
class SocketsTest {
    private static final int SO_TYPE = 3;
    private static final int F_GETFL = 3;
    private static final int O_NONBLOCK = 0x800;

    @Test
    void nonblockingLoopbackPairIsOneTcpConnection() throws Exception {
        int[] pair = Sockets.loopbackStreamPair(Sockets.SOCK_NONBLOCK, 1_000);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(Sockets.localAddress(pair[0]), Sockets.peerAddress(pair[1]));
            assertEquals(Sockets.localAddress(pair[1]), Sockets.peerAddress(pair[0]));
            for (int fd : pair) {
                assertEquals(Sockets.SOCK_STREAM, Sockets.getInt(fd, Sockets.SOL_SOCKET, SO_TYPE, "SO_TYPE"));
                // TCP_NODELAY exists only on a TCP socket: getsockopt fails with EOPNOTSUPP elsewhere
                assertEquals(0, Sockets.getInt(fd, Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, "TCP_NODELAY"));
            }
            MemorySegment buffer = arena.allocate(64);
            assertEquals(-Errno.EAGAIN, Libc.recv(pair[1], buffer, 64, 0), "an empty nonblocking socket");
            buffer.setString(0, "warm");
            assertEquals(5, Libc.send(pair[0], buffer, 5, 0));
            MemorySegment received = arena.allocate(64);
            assertTrue(PollSet.awaitOne(pair[1], PollSet.POLLIN, 1_000) > 0, "the accepted socket readable");
            assertEquals(5, Libc.recv(pair[1], received, 64, 0));
            assertEquals("warm", received.getString(0));
            assertEquals(O_NONBLOCK, Libc.fcntl(pair[0], F_GETFL, 0) & O_NONBLOCK, "the connecting socket");
        } finally {
            Sockets.closeQuietly(pair[0]);
            Sockets.closeQuietly(pair[1]);
        }
    }
}
