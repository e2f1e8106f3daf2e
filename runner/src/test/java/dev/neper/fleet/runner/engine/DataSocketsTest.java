package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data-socket options, set through FFM and read back from the kernel. */
class DataSocketsTest {
    @Test
    void optionsReachTheKernel() throws Exception {
        Options o = Options.defaults().with(OptionSpec.MAX_PACING_RATE, 12_500_000L).with(OptionSpec.MARK, 7)
                .with(OptionSpec.CONGESTION_CONTROL, "reno").with(OptionSpec.TCP_TX_DELAY, 100)
                .with(OptionSpec.NO_DELAY, true);
        int fd = Sockets.open(SockAddr.AF_INET, 0);
        try {
            DataSockets.applyOptions(fd, o, true);
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

    @Test
    void serversAndTimeWaitClientsKeepTheDefaultLinger() throws Exception {
        for (boolean client : new boolean[] {false, true}) {
            int fd = Sockets.open(SockAddr.AF_INET, 0);
            try {
                DataSockets.applyOptions(fd, Options.defaults().with(OptionSpec.TIME_WAIT, client), client);
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
                DataSockets.applyOptions(fd, o, false);
            } finally {
                Libc.close(fd);
            }
        });
        assertEquals("setsockopt(TCP_CONGESTION warp-drive): ENOENT (2, No such file or directory)", e.getMessage());
    }
}
