package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.stats.CpuUsage;
import dev.neper.fleet.runner.stats.FlowSamples;
import dev.neper.fleet.runner.stats.RunClock;
import dev.neper.fleet.runner.stats.ThreadUsage;
import dev.neper.fleet.runner.sys.Epoll;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.NanoSleep;
import dev.neper.fleet.runner.sys.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many receives and sends one level-triggered readiness makes, over a real AF_UNIX pair: calls
 * follow one another while each moves a whole buffer, up to the budget, and the chain stops at the
 * first call that moves less.
 */
class FlowCallsTest {
    private static final int BUFFER = 4096;

    private final Arena arena = Arena.ofConfined();
    private final IoCounters counters = new IoCounters();
    private final NanoSleep sleeper = new NanoSleep();
    private int[] pair;
    private HostFlowIoFactory memory;

    @BeforeEach
    void open() throws Exception {
        pair = Sockets.unixStreamPair();
        memory = new HostFlowIoFactory(Options.defaults().with(OptionSpec.BUFFER_SIZE, BUFFER));
    }

    @AfterEach
    void close() {
        Sockets.closeQuietly(pair[0]);
        Sockets.closeQuietly(pair[1]);
        memory.close();
        sleeper.close();
        arena.close();
    }

    private Flow flow(boolean reads, boolean writes) throws Exception {
        Flow.Settings settings = new Flow.Settings(Sockets.MSG_NOSIGNAL, BUFFER, false, 0, sleeper, counters, false);
        FlowIo io = memory.open(new FlowContext(0, 0, pair[0], BUFFER, reads, writes));
        ThreadUsage usage = new ThreadUsage(1_000_000_000L, CpuUsage.rusage());
        return new Flow(pair[0], 0, 0, io, new FlowSamples(0, 0, 1_000_000_000L, 4, usage),
                new RunClock(CpuUsage.rusage()), reads, writes, settings, "local", "remote");
    }

    private void peerSends(long bytes) {
        MemorySegment chunk = arena.allocate(bytes);
        assertEquals(bytes, Libc.send(pair[1], chunk, bytes, Sockets.MSG_NOSIGNAL));
    }

    @Test
    void receivesAgainWhileEachReceiveFillsTheBuffer() throws Exception {
        peerSends(3 * BUFFER + BUFFER / 2);

        assertTrue(flow(true, false).onEvents(Epoll.EPOLLIN, true));

        assertEquals(4, counters.rxOps, "three full buffers and the half one, no fifth call");
        assertEquals(3 * BUFFER + BUFFER / 2, counters.rxBytes);
    }

    @Test
    void aQueueEndingAtABuffersEndCostsOneEmptyReceive() throws Exception {
        peerSends(2 * BUFFER);

        assertTrue(flow(true, false).onEvents(Epoll.EPOLLIN, true));

        assertEquals(3, counters.rxOps, "two full buffers, then the EAGAIN that ends the chain");
        assertEquals(2 * BUFFER, counters.rxBytes);
    }

    @Test
    void oneReadinessReceivesAtMostTheBudget() throws Exception {
        peerSends(20L * BUFFER);
        Flow flow = flow(true, false);

        assertTrue(flow.onEvents(Epoll.EPOLLIN, true));
        assertEquals(Flow.LEVEL_BUDGET, counters.rxOps);
        assertEquals((long) Flow.LEVEL_BUDGET * BUFFER, counters.rxBytes);
        assertEquals(0, flow.pendingEvents(), "level-triggered: the socket reports the rest again");

        assertTrue(flow.onEvents(Epoll.EPOLLIN, true));
        assertEquals(20L * BUFFER, counters.rxBytes);
    }

    @Test
    void sendsAgainWhileTheSocketTakesWholeBuffersUpToTheBudget() throws Exception {
        Flow flow = flow(false, true);

        assertTrue(flow.onEvents(Epoll.EPOLLOUT, true));

        assertEquals(Flow.LEVEL_BUDGET, counters.txOps);
        assertEquals((long) Flow.LEVEL_BUDGET * BUFFER, counters.txBytes);
        assertEquals(0, flow.pendingEvents());
    }

    @Test
    void aStoppedSenderSendsNothing() throws Exception {
        assertTrue(flow(false, true).onEvents(Epoll.EPOLLOUT, false));

        assertEquals(0, counters.txOps);
    }
}
