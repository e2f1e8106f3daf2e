package dev.neper.fleet.runner.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.neper.fleet.runner.testing.LoopbackTcp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The x86-64 struct layouts the binding writes and reads, against golden bytes and the real kernel. */
class LayoutsTest {
    @Test
    void sockaddrInIsFamilyHostOrderThenPortAndAddressInNetworkOrder() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = SockAddr.encode(arena, new InetSocketAddress(InetAddress.getByName("198.18.0.1"), 12866));
            assertEquals("0200" + "3242" + "c6120001" + "0000000000000000",
                    HexFormat.of().formatHex(sa.toArray(ValueLayout.JAVA_BYTE)));
            assertEquals(new InetSocketAddress(InetAddress.getByName("198.18.0.1"), 12866), SockAddr.decode(sa));
        }
    }

    @Test
    void sockaddrIn6() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = SockAddr.encode(arena, new InetSocketAddress(InetAddress.getByName("::1"), 80));
            assertEquals(28, sa.byteSize());
            assertEquals("0a00" + "0050" + "00000000" + "00000000000000000000000000000001" + "00000000",
                    HexFormat.of().formatHex(sa.toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    @Test
    void epollEventsArePacked12Bytes() throws Exception {
        assertEquals(12, Epoll.EVENT_SIZE);
        try (LoopbackTcp pair = LoopbackTcp.open(); Epoll epoll = new Epoll(4)) {
            epoll.add(pair.server, Epoll.EPOLLIN, 0x1122334455667788L);
            try (Arena arena = Arena.ofConfined()) {
                Libc.send(pair.client, arena.allocateFrom("x"), 1, 0);
            }
            assertEquals(1, epoll.await(1000));
            assertEquals(Epoll.EPOLLIN, epoll.readyEvents(0));
            assertEquals(0x1122334455667788L, epoll.readyData(0));
        }
    }

    @Test
    void rusageFieldsSitAtTheirOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ru = arena.allocate(Rusage.SIZE, 8);
            ru.set(ValueLayout.JAVA_LONG, 0, 3);      // utime.tv_sec
            ru.set(ValueLayout.JAVA_LONG, 8, 250);    // utime.tv_usec
            ru.set(ValueLayout.JAVA_LONG, 16, 1);     // stime.tv_sec
            ru.set(ValueLayout.JAVA_LONG, 24, 5);     // stime.tv_usec
            ru.set(ValueLayout.JAVA_LONG, 32, 1000);  // maxrss
            ru.set(ValueLayout.JAVA_LONG, 64, 11);    // minflt
            ru.set(ValueLayout.JAVA_LONG, 72, 12);    // majflt
            ru.set(ValueLayout.JAVA_LONG, 128, 13);   // nvcsw
            ru.set(ValueLayout.JAVA_LONG, 136, 14);   // nivcsw
            assertEquals(new Rusage(3_000_250, 1_000_005, 1000, 11, 12, 13, 14), Rusage.decode(ru));
            assertEquals("3.000250", Rusage.seconds(3_000_250));
        }
    }

    @Test
    void threadRusageComesFromTheKernel() throws Exception {
        Rusage before = Rusage.of(Rusage.THREAD);
        long spin = 0;
        for (long i = 0; i < 200_000_000L; i++) {
            spin += i ^ spin;
        }
        Rusage after = Rusage.of(Rusage.THREAD);
        assertTrue(after.utimeMicros() > before.utimeMicros(), "user time grew (" + spin + ")");
        assertTrue(after.maxrss() > 0);
    }

    @Test
    void pinningAThreadShowsInItsAffinity() throws Exception {
        List<Integer> allowed = CpuSet.allowed();
        int target = allowed.getLast();
        List<List<Integer>> seen = new java.util.ArrayList<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                CpuSet.pinCurrentThread(target);
                seen.add(CpuSet.allowed());
            } catch (SysCallException e) {
                throw new IllegalStateException(e);
            }
        });
        t.join();
        assertEquals(List.of(List.of(target)), seen);
        assertEquals("0-3,8,10-11", CpuSet.format(List.of(0, 1, 2, 3, 8, 10, 11)));
    }

    @Test
    void errorsNameTheCallAndTheErrno() {
        SysCallException e = new SysCallException("bind-rx", Errno.EOPNOTSUPP);
        assertEquals("bind-rx: EOPNOTSUPP (95, Operation not supported)", e.getMessage());
        assertEquals(-Errno.EBADF, Libc.close(-1));
    }

    @Test
    void unacknowledgedBytesFollowTheSendQueue() throws Exception {
        try (LoopbackTcp pair = LoopbackTcp.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(1 << 16);
            long sent = 0;
            // the reader does not read: once its buffer is full, what is sent stays unacknowledged
            while (true) {
                long n = Libc.send(pair.client, chunk, chunk.byteSize(), Sockets.MSG_DONTWAIT);
                if (n < 0) {
                    assertEquals(-Errno.EAGAIN, n);
                    break;
                }
                sent += n;
            }
            assertTrue(Sockets.unacknowledgedBytes(pair.client) > 0, "sent " + sent + " bytes, some unacknowledged");
            long received = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received < sent && System.nanoTime() < deadline) {
                long n = Libc.recv(pair.server, chunk, chunk.byteSize(), Sockets.MSG_DONTWAIT);
                received += Math.max(0, n);
            }
            assertEquals(sent, received);
            // the last acknowledgement may be delayed a little
            while (Sockets.unacknowledgedBytes(pair.client) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(0, Sockets.unacknowledgedBytes(pair.client), "everything read is acknowledged");
        }
    }
}
