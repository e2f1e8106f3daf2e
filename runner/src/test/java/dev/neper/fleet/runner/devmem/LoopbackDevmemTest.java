package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.MsgHdr;
import dev.neper.fleet.runner.memory.HostMemory;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.PollSet;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.testing.LoopbackTcp;
import dev.neper.fleet.runner.validate.StreamValidator;
import dev.neper.fleet.runner.validate.ValidationPattern;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The devmem socket calls against the real kernel on loopback, which cannot carry devmem: the answers
 * devmem-api.md §6 records, and the runner's receive and zerocopy send paths on them.
 */
class LoopbackDevmemTest {
    private final Arena arena = Arena.ofAuto();

    private long dontneed(int fd, int ranges, int start, int count, int length) {
        MemorySegment tokens = arena.allocate(Math.max(8, ranges * 8L), 8);
        for (int i = 0; i < ranges; i++) {
            DevmemAbi.dmabufToken(tokens, i, start + i, count);
        }
        return Libc.setsockopt(fd, DevmemAbi.SOL_SOCKET, DevmemAbi.SO_DEVMEM_DONTNEED, tokens, length);
    }

    @Test
    void dontneedEdgeCases() throws Exception {
        try (LoopbackTcp tcp = LoopbackTcp.open()) {
            assertEquals(0, dontneed(tcp.server, 1, 12345, 1, 8), "an unknown token frees nothing, without error");
            assertEquals(0, dontneed(tcp.server, 128, 1, 1, 128 * 8), "128 tokens are allowed");
            assertEquals(-Errno.EINVAL, dontneed(tcp.server, 129, 1, 1, 129 * 8), "129 are not");
            assertEquals(-Errno.EINVAL, dontneed(tcp.server, 1, 1, 1, 0), "length 0");
            assertEquals(-Errno.EINVAL, dontneed(tcp.server, 2, 1, 1, 12), "length not a multiple of 8");
            assertEquals(0, dontneed(tcp.server, 1, 1, 1025, 8), "token_count 1025 stops early, no error");
        }
        int udp = Libc.socket(2, 2, 0);
        try {
            assertEquals(-Errno.EBADF, dontneed(udp, 1, 1, 1, 8), "not a TCP socket");
        } finally {
            Libc.close(udp);
        }
    }

    @Test
    void tokenReleaserReportsTokensTheKernelDidNotKnow() throws Exception {
        try (LoopbackTcp tcp = LoopbackTcp.open()) {
            TokenReleaser releaser = new TokenReleaser(arena, TokenReleaser.DONTNEED);
            releaser.add(tcp.server, 77);
            assertTrue(!releaser.flush(tcp.server));
            assertEquals("SO_DEVMEM_DONTNEED freed 0 of 1 fragments", releaser.error());
        }
    }

    /** MSG_SOCK_DEVMEM on a socket without devmem data is an ordinary copy, no cmsg: the receiver sees LINEAR bytes. */
    @Test
    void devmemReceiveOnLoopbackCopiesNormally() throws Exception {
        try (LoopbackTcp tcp = LoopbackTcp.open(); HostMemory unused = new HostMemory(4096)) {
            MemorySegment data = arena.allocate(10_000);
            ValidationPattern.fill(data, 0);
            assertEquals(10_000, Libc.send(tcp.client, data, 10_000, 0));
            DevmemCounters counters = new DevmemCounters();
            StreamValidator validator = new StreamValidator("0/0");
            int mss = Sockets.getInt(tcp.server, Sockets.IPPROTO_TCP, Sockets.TCP_MAXSEG, "TCP_MAXSEG");
            DevmemReceiver receiver = new DevmemReceiver(unused, 1, 16384, DevmemAbi.smallestFragment(mss), validator,
                    false, TokenReleaser.DONTNEED, counters);
            long total = 0;
            while (total < 10_000) {
                long n = receiver.receive(tcp.server);
                assertTrue(n > 0, "receive returned " + n + ": " + receiver.failure());
                total += n;
            }
            assertNull(receiver.failure());
            assertEquals(10_000, counters.linearBytes());
            assertEquals(0, counters.devmemBytes());
            assertEquals(10_000, validator.validatedBytes());
            assertEquals(0, validator.mismatches());
            receiver.close();
        }
    }

    @Test
    void devmemSendCmsgIsRefusedOnLoopback() throws Exception {
        try (LoopbackTcp tcp = LoopbackTcp.open()) {
            Sockets.setInt(tcp.client, DevmemAbi.SOL_SOCKET, Sockets.SO_ZEROCOPY, "SO_ZEROCOPY", 1);
            MemorySegment control = arena.allocate(24, 8);
            DevmemAbi.txCmsg(control, 1);
            MemorySegment iov = arena.allocate(16, 8);
            MsgHdr.iovec(iov, 0, 0, 4096);
            MemorySegment msghdr = arena.allocate(MsgHdr.SIZE, 8);
            MsgHdr.msghdr(msghdr, iov, 1, control, 24);
            assertEquals(-Errno.EINVAL, Libc.sendmsg(tcp.client, msghdr, Sockets.MSG_ZEROCOPY));
            assertEquals(-Errno.EINVAL, Libc.sendmsg(tcp.client, msghdr, 0));
        }
    }

    /**
     * The zerocopy send path with binding id 0 (ordinary MSG_ZEROCOPY from host memory): completions come
     * back on the error queue as coalesced ranges, slots are reused only after them, and loopback's
     * completions say the kernel copied.
     */
    @Test
    void zerocopySendsCompleteAndSlotsAreReusedOnlyAfterCompletion() throws Exception {
        int bufferSize = 16384;
        try (LoopbackTcp tcp = LoopbackTcp.open();
             HostMemory memory = new HostMemory(ZerocopySender.regionSize(bufferSize))) {
            Sockets.setInt(tcp.client, DevmemAbi.SOL_SOCKET, Sockets.SO_ZEROCOPY, "SO_ZEROCOPY", 1);
            DevmemCounters counters = new DevmemCounters();
            ZerocopySender sender = new ZerocopySender(memory, 0, bufferSize, 0, true, counters);
            MemorySegment sink = arena.allocate(1 << 20);
            StreamValidator validator = new StreamValidator("0/0");
            long sent = 0;
            long received = 0;
            int sends = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (sends < 100 && System.nanoTime() < deadline) {
                long n = sender.send(tcp.client, Sockets.MSG_NOSIGNAL | Sockets.MSG_DONTWAIT);
                if (n > 0) {
                    sent += n;
                    sends++;
                } else {
                    assertEquals(-Errno.EAGAIN, n, "send: " + sender.failure());
                    assertTrue(sender.busySlots() == ZerocopySender.SLOTS || n == -Errno.EAGAIN);
                }
                assertTrue(sender.busySlots() <= ZerocopySender.SLOTS);
                long r = Libc.recv(tcp.server, sink, sink.byteSize(), Sockets.MSG_DONTWAIT);
                if (r > 0) {
                    validator.check(sink, 0, r);
                    received += r;
                }
                if ((PollSet.awaitOne(tcp.client, (short) 0, 0) & PollSet.POLLERR) != 0) {
                    assertTrue(sender.reapErrorQueue(tcp.client), sender.failure());
                }
            }
            while (received < sent && System.nanoTime() < deadline) {
                long r = Libc.recv(tcp.server, sink, sink.byteSize(), 0);
                validator.check(sink, 0, r);
                received += r;
            }
            while (sender.busySlots() > 0 && System.nanoTime() < deadline) {
                PollSet.awaitOne(tcp.client, (short) 0, 100);
                assertTrue(sender.reapErrorQueue(tcp.client), sender.failure());
            }
            assertEquals(100, sends);
            assertEquals(sent, received);
            assertEquals(0, validator.mismatches(), "the ring of pattern slots carries the pattern at every offset");
            assertEquals(100, counters.zerocopySends());
            assertEquals(100, counters.completedSends(), "every send completed");
            assertEquals(100, counters.copiedSends(), "loopback copies: code SO_EE_CODE_ZEROCOPY_COPIED");
            assertEquals(0, sender.busySlots());
            sender.close();
        }
    }

    @Test
    void aSlotIsNotReusedBeforeItsCompletion() throws Exception {
        int bufferSize = 4096;
        try (LoopbackTcp tcp = LoopbackTcp.open();
             HostMemory memory = new HostMemory(ZerocopySender.regionSize(bufferSize))) {
            Sockets.setInt(tcp.client, DevmemAbi.SOL_SOCKET, Sockets.SO_ZEROCOPY, "SO_ZEROCOPY", 1);
            DevmemCounters counters = new DevmemCounters();
            ZerocopySender sender = new ZerocopySender(memory, 0, bufferSize, 0, false, counters);
            for (int i = 0; i < ZerocopySender.SLOTS; i++) {
                assertEquals(bufferSize, sender.send(tcp.client, Sockets.MSG_NOSIGNAL));
            }
            assertEquals(ZerocopySender.SLOTS, sender.busySlots(), "no send reaped completions while slots were free");
            assertEquals(0, counters.completedSends());
            PollSet.awaitOne(tcp.client, (short) 0, 2000);
            long n = sender.send(tcp.client, Sockets.MSG_NOSIGNAL);
            assertEquals(bufferSize, n, "the first slot is free once its completion is reaped");
            assertTrue(counters.completedSends() >= 1, "reuse came after a completion");
            sender.close();
        }
    }
}
