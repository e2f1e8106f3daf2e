package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.stats.FlowSamples;
import dev.neper.fleet.runner.stats.RunClock;
import dev.neper.fleet.runner.sys.Epoll;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.NanoSleep;
import dev.neper.fleet.runner.sys.SysCallException;

/**
 * One data connection on a worker thread: its socket, its IO strategy, its samples and counters.
 * {@link #onEvents} is the per-event hot path and allocates nothing. Level-triggered, it receives for
 * EPOLLIN and sends for EPOLLOUT, as neper does, and calls again at once while a call moved a whole
 * buffer, at most {@link #LEVEL_BUDGET} calls per direction: a full buffer says the socket had more,
 * and neper's next epoll_wait would only report that readiness again, one system call per buffer
 * (the call that stops the chain moved less than a buffer, so the chain costs no EAGAIN unless the
 * queue ended exactly at a buffer's end). Edge-triggered (--edge-trigger), it receives and sends until
 * the socket would block, as neper's drain loops do, but at most {@link #EDGE_BUDGET} calls per
 * direction, so one busy flow cannot starve the thread's others; a flow stopped by the budget before
 * EAGAIN keeps the rest as {@link #pendingEvents} for the worker to serve next, since no new edge will
 * come for it.
 */
final class Flow {
    /** The most receives or sends one edge-triggered turn makes before yielding to the thread's other flows. */
    static final int EDGE_BUDGET = 64;
    /** The most receives or sends one level-triggered readiness makes (the socket reports the rest again). */
    static final int LEVEL_BUDGET = 16;
    /** A call moved a whole buffer: the socket likely has more to give or room to take. */
    private static final int FULL = 2;
    private static final int MORE = 1;
    private static final int DRAINED = 0;
    private static final int CLOSED = -1;

    /** What a flow needs from its thread beyond its own socket. */
    record Settings(int sendFlags, int bufferSize, boolean edgeTriggered, long delayNanos, NanoSleep sleeper,
                    IoCounters counters, boolean stopsWritingOnData) {
    }

    private final int fd;
    private final int thread;
    private final int index;
    private final FlowIo io;
    private final FlowSamples samples;
    private final RunClock clock;
    private final boolean reads;
    private final Settings settings;
    private final String localAddress;
    private final String remoteAddress;
    private boolean writes;
    private Epoll epoll;
    private int slot;
    private long bytesReceived;
    private long bytesSent;
    private long lastReceiveNanos;
    private int pendingEvents;
    private boolean queued;
    private boolean open = true;
    private String error;

    Flow(int fd, int thread, int index, FlowIo io, FlowSamples samples, RunClock clock, boolean reads, boolean writes,
         Settings settings, String localAddress, String remoteAddress) {
        this.fd = fd;
        this.thread = thread;
        this.index = index;
        this.io = io;
        this.samples = samples;
        this.clock = clock;
        this.reads = reads;
        this.writes = writes;
        this.settings = settings;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    int fd() {
        return fd;
    }

    boolean isOpen() {
        return open;
    }

    boolean reads() {
        return reads;
    }

    /** The epoll events this flow waits for. */
    int interest() {
        return Epoll.EPOLLRDHUP | (reads ? Epoll.EPOLLIN : 0) | (writes ? Epoll.EPOLLOUT : 0)
                | (settings.edgeTriggered() ? Epoll.EPOLLET : 0);
    }

    /** Adds the flow to its thread's epoll set under {@code slot}. */
    void register(Epoll epoll, int slot) throws SysCallException {
        this.epoll = epoll;
        this.slot = slot;
        epoll.add(fd, interest(), slot);
    }

    /** Events an edge-triggered turn left unserved (the budget ran out first); 0 when none. */
    int pendingEvents() {
        return pendingEvents;
    }

    /** Whether the worker holds this flow on its list of flows with pending events. */
    boolean queued() {
        return queued;
    }

    void queued(boolean queued) {
        this.queued = queued;
    }

    /** Handles one epoll readiness (or the pending rest of one); returns false once the flow has closed. */
    boolean onEvents(int readiness, boolean sending) {
        int events = readiness;
        pendingEvents = 0;
        if ((events & Epoll.EPOLLERR) != 0 && io.reapErrorQueue(fd)) {
            events &= ~Epoll.EPOLLERR;
        }
        if (samples.count() == 0) {
            samples.event(0, System.nanoTime(), clock);
        }
        if ((events & Epoll.EPOLLIN) != 0) {
            int r = settings.edgeTriggered() ? receiveUntilEmpty() : receiveWhileFull();
            if (r == CLOSED) {
                return false;
            }
            if (r >= MORE) {
                pendingEvents |= Epoll.EPOLLIN;
            }
        }
        // one test that flows which do not write take too (they mask EPOLLOUT away), so the JIT has seen
        // it false and does not compile a writer's event without EPOLLOUT (a zerocopy completion while
        // the socket is full) as never happening, to deoptimize the loop at the first
        int writable = events & (writes ? Epoll.EPOLLOUT : 0);
        if (writable != 0 && sending) {
            int r = settings.edgeTriggered() ? sendUntilFull() : sendWhileTaken();
            if (r == CLOSED) {
                return false;
            }
            if (r >= MORE) {
                pendingEvents |= Epoll.EPOLLOUT;
            }
        }
        if ((events & (Epoll.EPOLLHUP | Epoll.EPOLLRDHUP | Epoll.EPOLLERR)) != 0) {
            drainUntilClosed();
            return false;
        }
        return true;
    }

    private int receiveUntilEmpty() {
        for (int i = 0; i < EDGE_BUDGET; i++) {
            int r = receiveOnce();
            if (r < MORE) {
                return r;
            }
        }
        return MORE;
    }

    private int sendUntilFull() {
        for (int i = 0; i < EDGE_BUDGET; i++) {
            int r = sendOnce();
            if (r < MORE) {
                return r;
            }
        }
        return MORE;
    }

    /**
     * FULL when {@code moved} is a whole buffer, else MORE, without a branch: whether a call fills the
     * buffer depends on the socket (an AF_UNIX pair of the warm-up, a TCP flow of the run), and a
     * branch the JIT saw go one way only is compiled as always going so, to deoptimize in the run.
     */
    private int fullOrMore(long moved) {
        return MORE + (int) ((settings.bufferSize() - 1 - moved) >>> 63);
    }

    /** Level-triggered receives: CLOSED, or DRAINED (the socket reports whatever is left again). */
    private int receiveWhileFull() {
        int r = FULL;
        for (int i = 0; i < LEVEL_BUDGET && r == FULL; i++) {
            r = receiveOnce();
        }
        return Math.min(r, DRAINED);
    }

    /** Level-triggered sends: CLOSED, or DRAINED (the socket reports its room again). */
    private int sendWhileTaken() {
        int r = FULL;
        for (int i = 0; i < LEVEL_BUDGET && r == FULL; i++) {
            r = sendOnce();
        }
        return Math.min(r, DRAINED);
    }

    /**
     * One receive: FULL when it filled the buffer, MORE when fewer bytes came, DRAINED when none were
     * waiting, CLOSED when the connection ended.
     */
    private int receiveOnce() {
        long n = io.receive(fd);
        IoCounters counters = settings.counters();
        counters.rxOps++;
        if (n > 0) {
            counters.rxBytes += n;
            long now = System.nanoTime();
            lastReceiveNanos = now;
            bytesReceived += n;
            samples.event(n, now, clock);
            if (writes && settings.stopsWritingOnData()) {
                stopWriting();
            }
            return fullOrMore(n);
        }
        if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
            return DRAINED;
        }
        fail(n == 0 ? "closed by the peer" : "recv failed: " + Errno.describe((int) -n));
        return CLOSED;
    }

    /**
     * One send, then the --delay pause: FULL when the socket took the whole buffer, MORE when it took
     * part of it, DRAINED when it was full.
     */
    private int sendOnce() {
        long n = io.send(fd, settings.sendFlags());
        IoCounters counters = settings.counters();
        counters.txOps++;
        if (n >= 0) {
            counters.txBytes += n;
            bytesSent += n;
            if (settings.delayNanos() > 0) {
                settings.sleeper().sleep(settings.delayNanos());
            }
            return fullOrMore(n);
        }
        if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
            return DRAINED;
        }
        fail("send failed: " + Errno.describe((int) -n));
        return CLOSED;
    }

    /**
     * --split-bidir on a server: a flow the client sends on stops the server's sending there, so each
     * socket carries one direction (the intent neper's flow.c describes; its stream_handler tests
     * EPOLLOUT twice and so stops every flow after its first send).
     */
    private void stopWriting() {
        writes = false;
        try {
            epoll.modify(fd, interest(), slot);
        } catch (SysCallException e) {
            fail("cannot stop sending on a receiving flow: " + e.getMessage());
        }
    }

    /** The peer hung up: take in what it sent before that, then record how the connection ended. */
    private void drainUntilClosed() {
        if (reads) {
            while (receiveOnce() >= MORE) {
                // keep reading: a FIN or RST follows the last bytes
            }
        }
        fail("closed by the peer");
    }

    private void fail(String reason) {
        if (open) {
            error = reason + " after " + bytesReceived + " bytes received and " + bytesSent + " sent";
            closeSocket();
        }
    }

    /** The run stopped: from now on the flow only reads what is still queued. */
    void draining() {
        if (open && reads) {
            io.draining(fd);
        }
    }

    /** Reads what the error queue holds now: the completions of the last zerocopy sends, once they are acknowledged. */
    void reapErrorQueue() {
        if (open) {
            io.reapErrorQueue(fd);
        }
    }

    /** The sample neper takes when threads stop; a reader's is timed at its last byte. */
    void finalSample() {
        samples.finalSample(reads && lastReceiveNanos != 0 ? lastReceiveNanos : System.nanoTime());
    }

    FlowSamples samples() {
        return samples;
    }

    void closeSocket() {
        if (open) {
            open = false;
            pendingEvents = 0;
            Libc.close(fd);
            io.close();
        }
    }

    FlowReport report() {
        double rate = 0;
        int n = samples.count();
        if (n >= 2) {
            double seconds = (samples.time(n - 1) - samples.time(0)) * 1e-9;
            rate = seconds > 0 ? 8 * (samples.totalAt(n - 1) - samples.totalAt(0)) / seconds : 0;
        }
        return new FlowReport(thread, index, localAddress, remoteAddress, bytesReceived, bytesSent, rate, error);
    }
}
