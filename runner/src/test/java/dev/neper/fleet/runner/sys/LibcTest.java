package dev.neper.fleet.runner.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The data path's critical recv and send against the real kernel: the bytes, and each failure's errno
 * captured as the other calls capture it (a critical call has no thread-state transition in which
 * the JVM could overwrite errno, but it still must arrive as -errno).
 */
class LibcTest {
    @Test
    void criticalRecvAndSendMoveBytesAndReturnTheErrnoOfEachFailure() throws Exception {
        int[] pair = Sockets.unixStreamPair();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sent = arena.allocate(64);
            MemorySegment received = arena.allocate(64);
            assertEquals(-Errno.EAGAIN, Libc.recvNonBlocking(pair[1], received, 64, 0), "an empty nonblocking socket");
            sent.setString(0, "flow");
            assertEquals(5, Libc.sendNonBlocking(pair[0], sent, 5, Sockets.MSG_NOSIGNAL));
            assertEquals(5, Libc.recvNonBlocking(pair[1], received, 64, 0));
            assertEquals("flow", received.getString(0));

            Sockets.closeQuietly(pair[1]);
            pair[1] = -1;
            assertEquals(-Errno.EPIPE, Libc.sendNonBlocking(pair[0], sent, 5, Sockets.MSG_NOSIGNAL), "the peer closed");
            assertEquals(0, Libc.recvNonBlocking(pair[0], received, 64, 0), "the end of the stream");
            assertEquals(-Errno.EBADF, Libc.recvNonBlocking(-1, received, 64, 0), "not a descriptor");
            assertEquals(-Errno.EBADF, Libc.sendNonBlocking(-1, sent, 5, Sockets.MSG_NOSIGNAL), "not a descriptor");
        } finally {
            Sockets.closeQuietly(pair[0]);
            if (pair[1] >= 0) {
                Sockets.closeQuietly(pair[1]);
            }
        }
    }
}
