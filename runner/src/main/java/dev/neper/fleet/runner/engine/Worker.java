package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.stats.FlowSamples;
import dev.neper.fleet.runner.stats.RunClock;
import dev.neper.fleet.runner.stats.ThreadUsage;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.sys.Epoll;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.EventFd;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One of the T worker threads: its own epoll loop over its flows (and, on a server, its listeners on
 * every data port). Level-triggered, one recv or send per readiness, as neper's loop does.
 */
final class Worker {
    /** After a stop with drain, how long without arriving data counts as "the peer is done". */
    static final int DRAIN_QUIET_MILLIS = 20;
    /** The longest a drain may last, whatever keeps arriving. */
    static final long DRAIN_LIMIT_NANOS = 2_000_000_000L;
    private static final int MAX_EVENTS = 1000;
    /** The longest a stopping sender waits for the peer to acknowledge what it sent. */
    static final long ACK_WAIT_NANOS = 2_000_000_000L;

    /** What a worker sets up before the run: listeners on a server, connected flows on a client. */
    interface Setup {
        void run(Worker worker) throws IOException;
    }

    private enum Stop { NONE, NOW, DRAIN }

    private final String label;
    private final int index;
    private final Options options;
    private final RunClock clock;
    private final FlowIoFactory ioFactory;
    private final Integer cpu;
    private final ThreadUsage usage;
    private final long intervalNanos;
    private final int expectedSamples;
    private final Epoll epoll;
    private final EventFd wake;
    private final List<Object> slots = new ArrayList<>();
    private final List<Flow> flows = new ArrayList<>();
    private final List<Integer> listeners = new ArrayList<>();
    private final int sendFlags;
    private volatile Stop stop = Stop.NONE;
    private volatile int openFlows;
    private volatile RunError failure;
    private Thread thread;

    Worker(String label, int index, Options options, double interval, RunClock clock, FlowIoFactory ioFactory,
           Integer cpu) throws SysCallException {
        this.label = label;
        this.index = index;
        this.options = options;
        this.clock = clock;
        this.ioFactory = ioFactory;
        this.cpu = cpu;
        this.intervalNanos = (long) (interval * 1e9);
        this.expectedSamples = (int) (options.testLength() / interval) + 1;
        this.usage = new ThreadUsage(intervalNanos);
        this.epoll = new Epoll(MAX_EVENTS);
        this.wake = new EventFd();
        this.sendFlags = Sockets.MSG_NOSIGNAL | (options.noCork() ? 0 : Sockets.MSG_MORE);
        slots.add(wake);
        epoll.add(wake.fd(), Epoll.EPOLLIN, 0);
    }

    int index() {
        return index;
    }

    /** Starts the thread: pin, set up, count down {@code ready}, then loop until stopped. */
    void start(Setup setup, CountDownLatch ready) {
        thread = Thread.ofPlatform().name(label + "-worker-" + index).start(() -> {
            try {
                if (cpu != null) {
                    CpuSet.pinCurrentThread(cpu);
                }
                setup.run(this);
            } catch (IOException | RuntimeException e) {
                failure = new RunError(ErrorKind.DATA_CONNECTION, label + " thread " + index + ": " + e.getMessage());
                closeFlows();
                return;
            } finally {
                ready.countDown();
            }
            try {
                loop();
            } catch (SysCallException | RuntimeException e) {
                failure = new RunError(ErrorKind.INTERNAL, label + " thread " + index + ": " + e.getMessage());
            }
        });
    }

    RunError failure() {
        return failure;
    }

    int openFlows() {
        return openFlows;
    }

    /** Opens this thread's listener on every data port, all with SO_REUSEPORT. */
    void listenOn(InetSocketAddress bindAddress) throws SysCallException {
        for (int p = 0; p < options.numPorts(); p++) {
            InetSocketAddress address = new InetSocketAddress(bindAddress.getAddress(), options.port() + p);
            int fd = DataSockets.listen(address, options);
            listeners.add(fd);
            epoll.add(fd, Epoll.EPOLLIN, slots.size());
            slots.add(fd);
        }
    }

    /** Connects one client flow and registers it. */
    void connect(InetSocketAddress target, InetSocketAddress source) throws IOException {
        int fd = DataSockets.connect(target, source, options);
        try {
            addFlow(fd);
        } catch (IOException e) {
            Sockets.closeQuietly(fd);
            throw new IOException("flow to " + target + ": " + e.getMessage(), e);
        }
    }

    private void addFlow(int fd) throws IOException {
        boolean reads = options.enableRead();
        boolean writes = options.enableWrite();
        int flowIndex = flows.size();
        FlowIo io = ioFactory.open(new FlowContext(index, flowIndex, fd, options.bufferSize(), reads, writes));
        FlowSamples samples = new FlowSamples(index, flowIndex, intervalNanos, expectedSamples, usage);
        Flow flow = new Flow(fd, index, flowIndex, io, samples, clock, reads, writes, sendFlags,
                String.valueOf(Sockets.localAddress(fd)), String.valueOf(Sockets.peerAddress(fd)));
        flows.add(flow);
        epoll.add(fd, flow.interest(), slots.size());
        slots.add(flow);
        openFlows++;
    }

    private void loop() throws SysCallException {
        long drainDeadline = 0;
        boolean draining = false;
        while (true) {
            int ready = epoll.await(draining ? DRAIN_QUIET_MILLIS : -1);
            if (draining && (ready == 0 || System.nanoTime() > drainDeadline)) {
                return;
            }
            for (int i = 0; i < ready; i++) {
                int slot = (int) epoll.readyData(i);
                Object target = slots.get(slot);
                if (target instanceof Flow flow) {
                    if (!flow.onEvents(epoll.readyEvents(i), !draining)) {
                        slots.set(slot, null);
                        openFlows--;
                    }
                } else if (target instanceof Integer listener) {
                    acceptAll(listener);
                } else if (target == wake) {
                    Stop requested = stop;
                    if (requested == Stop.NOW) {
                        flushSends();
                        return;
                    }
                    if (requested == Stop.DRAIN && !draining) {
                        draining = true;
                        drainDeadline = System.nanoTime() + DRAIN_LIMIT_NANOS;
                        startDraining();
                    }
                }
            }
        }
    }

    /**
     * Makes everything counted as sent reach the peer before the final exchange: a send with MSG_MORE
     * may leave its tail queued for more data that will never come, which TCP_NODELAY pushes out;
     * then waits (at most {@link #ACK_WAIT_NANOS}) until the peer has acknowledged every byte, so
     * the receiver holds all of it when CLI_DONE arrives and its count matches ours.
     */
    private void flushSends() {
        if (!options.enableWrite()) {
            return;
        }
        for (Flow flow : flows) {
            if (flow.isOpen() && !options.noCork()) {
                try {
                    Sockets.setInt(flow.fd(), Sockets.IPPROTO_TCP, Sockets.TCP_NODELAY, "TCP_NODELAY", 1);
                } catch (SysCallException e) {
                    RunLog.warn(label + " thread " + index + ": cannot push the last corked bytes: " + e.getMessage());
                }
            }
        }
        long deadline = System.nanoTime() + ACK_WAIT_NANOS;
        for (Flow flow : flows) {
            try {
                while (flow.isOpen() && Sockets.unacknowledgedBytes(flow.fd()) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
            } catch (SysCallException e) {
                RunLog.warn(label + " thread " + index + ": cannot read the send queue: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops sending and listening; keeps reading what the peer sent before it stopped. */
    private void startDraining() throws SysCallException {
        epoll.remove(wake.fd());
        for (int listener : listeners) {
            epoll.remove(listener);
        }
        for (int slot = 0; slot < slots.size(); slot++) {
            if (slots.get(slot) instanceof Flow flow && flow.isOpen()) {
                if (flow.reads()) {
                    epoll.modify(flow.fd(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP, slot);
                } else {
                    epoll.remove(flow.fd());
                }
            }
        }
    }

    private void acceptAll(int listener) throws SysCallException {
        while (true) {
            int fd = Libc.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            if (fd == -Errno.EAGAIN || fd == -Errno.ECONNABORTED || fd == -Errno.EINTR) {
                return;
            }
            if (fd < 0) {
                RunLog.error(label + " thread " + index + ": accept4: " + Errno.describe(-fd));
                return;
            }
            try {
                DataSockets.applyOptions(fd, options, false);
                addFlow(fd);
            } catch (IOException e) {
                Sockets.closeQuietly(fd);
                RunLog.error(label + " thread " + index + ": accepted data connection dropped: " + e.getMessage());
            }
        }
    }

    /** Asks the thread to stop; with {@code drain} it first reads until the peer has gone quiet. */
    void requestStop(boolean drain) {
        stop = drain ? Stop.DRAIN : Stop.NOW;
        try {
            wake.signal();
        } catch (SysCallException e) {
            throw new IllegalStateException("cannot wake worker " + index + ": " + e.getMessage(), e);
        }
    }

    void awaitExit() throws InterruptedException {
        if (thread != null) {
            thread.join();
        }
    }

    /** Waits for the thread, then takes each open flow's final sample, as neper's thread_flush_stat does. */
    void join() throws InterruptedException {
        awaitExit();
        for (Flow flow : flows) {
            if (flow.isOpen()) {
                flow.finalSample();
            }
        }
    }

    List<FlowSamples> samples() {
        return flows.stream().map(Flow::samples).filter(s -> s.count() > 0).toList();
    }

    List<FlowReport> flowReports() {
        return flows.stream().map(Flow::report).toList();
    }

    /** Closes every flow and listener; called by the run once the control exchange is over. */
    void closeFlows() {
        flows.forEach(Flow::closeSocket);
        listeners.forEach(Sockets::closeQuietly);
        listeners.clear();
    }

    void release() {
        closeFlows();
        epoll.close();
        wake.close();
    }
}
