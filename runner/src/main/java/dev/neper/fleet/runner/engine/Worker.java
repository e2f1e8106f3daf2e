package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.stats.CpuUsage;
import dev.neper.fleet.runner.stats.FlowSamples;
import dev.neper.fleet.runner.stats.RunClock;
import dev.neper.fleet.runner.stats.ThreadUsage;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.sys.Epoll;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.EventFd;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.NanoSleep;
import dev.neper.fleet.runner.sys.ReuseportNumaProgram;
import dev.neper.fleet.runner.sys.SockAddr;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One of the T worker threads: its own epoll loop over its flows (and, on a server, its listeners on
 * every data port), at most --maxevents events per wait. Level-triggered, as neper's loop is (a flow
 * calls again only while a call moved a whole buffer, see {@link Flow}); with --edge-trigger, flows
 * drain their sockets and the worker keeps the ones the edge budget cut short on a list it serves
 * before waiting again.
 */
final class Worker {
    /** After a stop with drain, how long without arriving data counts as "the peer is done". */
    static final int DRAIN_QUIET_MILLIS = 20;
    /** The longest a drain may last, whatever keeps arriving. */
    static final long DRAIN_LIMIT_NANOS = 2_000_000_000L;
    /** The longest a stopping sender waits for the peer to acknowledge what it sent. */
    static final long ACK_WAIT_NANOS = 2_000_000_000L;
    /** --nonblocking: the longest one epoll wait may block, as neper bounds it (600 s). */
    static final int NONBLOCKING_WAIT_MILLIS = 600_000;
    /** The warm-up lasts at least this long (the JIT's invocation thresholds), then until the JIT has been idle... */
    static final long WARM_UP_MIN_MILLIS = 300;
    /** ...for this long (no compilation finished: the data path is compiled)... */
    static final long WARM_UP_QUIET_MILLIS = 150;
    /** ...but never longer than this (a loaded machine's compiler may lag). */
    static final long WARM_UP_MAX_MILLIS = 3_000;
    /** How long each warm-up round, with its new flows, lasts. */
    static final long WARM_UP_ROUND_MILLIS = 60;
    /**
     * The warm-up's buffers are at most this big: the code it compiles is the same for any size, and
     * a -B of gigabytes would otherwise be allocated and filled twice before the first flow.
     */
    static final int WARM_UP_BUFFER_LIMIT = 1 << 20;
    /** The buffers of every other warm-up round: small enough that a socket holds more than a chain's budget of them. */
    static final int WARM_UP_SMALL_BUFFER = 4096;
    /** A loopback handshake completes at once; this bounds a host whose loopback is broken. */
    static final int WARM_UP_CONNECT_MILLIS = 1_000;
    /** Compiled code and profiles are the process's: it warms its data path once, for all its runs. */
    private static boolean warmed;

    /** What a worker sets up before the run: listeners on a server, connected flows on a client. */
    interface Setup {
        void run(Worker worker) throws IOException;
    }

    private enum Stop { NONE, NOW, DRAIN, WARMED }

    private final String label;
    private final int index;
    private final Options options;
    private final RunClock clock;
    private final FlowIoFactory ioFactory;
    private final List<Integer> cpus;
    private final ThreadUsage usage;
    private final long intervalNanos;
    private final int expectedSamples;
    private final Epoll epoll;
    private final EventFd wake;
    private final NanoSleep sleeper = new NanoSleep();
    private final IoCounters counters = new IoCounters();
    private final Flow.Settings flowSettings;
    private final List<Object> slots = new ArrayList<>();
    private final List<Flow> flows = new ArrayList<>();
    private final List<Flow> pending = new ArrayList<>();
    private final List<Integer> listeners = new ArrayList<>();
    /** On a server: which accepted connections are flows (null on a client). */
    private FlowAdmission admission;
    private volatile Stop stop = Stop.NONE;
    private boolean warming;
    /** The loop's state once a stop with drain came: it ends at the deadline or when nothing more arrives. */
    private boolean draining;
    private long drainDeadline;
    private volatile int openFlows;
    private volatile RunError failure;
    private Thread thread;

    /** @param cpus the CPUs to pin the thread to (-U: one, -N: a NUMA node's), or empty to leave it free */
    Worker(String label, int index, Options options, double interval, RunClock clock, CpuUsage cpuUsage,
           FlowIoFactory ioFactory, List<Integer> cpus) throws SysCallException {
        this.label = label;
        this.index = index;
        this.options = options;
        this.clock = clock;
        this.ioFactory = ioFactory;
        this.cpus = cpus;
        this.intervalNanos = (long) (interval * 1e9);
        this.expectedSamples = (int) (options.testLength() / interval) + 1;
        this.usage = new ThreadUsage(intervalNanos, cpuUsage);
        this.epoll = new Epoll(options.maxEvents());
        this.wake = new EventFd();
        int sendFlags = Sockets.MSG_NOSIGNAL | (options.noCork() ? 0 : Sockets.MSG_MORE);
        this.flowSettings = new Flow.Settings(sendFlags, options.bufferSize(), options.edgeTrigger(),
                options.delayNanos(), sleeper, counters, options.splitBidir() && !options.client());
        slots.add(wake);
        epoll.add(wake.fd(), Epoll.EPOLLIN, 0);
    }

    int index() {
        return index;
    }

    IoCounters counters() {
        return counters;
    }

    /**
     * Warms the process's data path (see {@link #warmUp}) on a worker of its own, once, before any run's
     * flows exist. Every run of the process passes here first, the links of a {@code links} run as well,
     * and waits while another run's warm-up lasts: no measured window, its own or another link's, holds
     * a warm-up's CPU or sees flows of some threads move while another thread is still warming up.
     */
    static synchronized void warmUpOnce(String label, Options options, double interval, RunClock clock,
                                        CpuUsage cpuUsage) throws IOException {
        if (warmed || !WarmUp.wanted(options.mode())) {
            return;
        }
        try {
            Worker worker = new Worker(label, 0, options, interval, clock, cpuUsage, null, List.of());
            try {
                worker.warmUp();
            } finally {
                worker.release();
            }
        } catch (IOException e) {
            throw new IOException(label + ": cannot warm the data path before the first flow (private AF_UNIX"
                    + " or loopback pairs; " + WarmUp.VARIABLE + "=" + WarmUp.OFF + " skips it): " + e.getMessage(), e);
        }
        warmed = true;
    }

    /**
     * Starts the thread: pin, set up, count down {@code ready}, then, once {@code serving} opens (every
     * thread of the run set up: neper's barrier), loop until stopped.
     */
    void start(Setup setup, CountDownLatch ready, CountDownLatch serving) {
        thread = Thread.ofPlatform().name(label + "-worker-" + index).start(() -> {
            try {
                if (!cpus.isEmpty()) {
                    CpuSet.restrictCurrentThread(cpus);
                }
                if (options.delayNanos() > 0) {
                    NanoSleep.tightenTimerSlack();
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
                serving.await();
                loop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    /**
     * Runs this worker's own loop for a moment over private socket pairs, one flow sending into
     * another, before the run's flows exist, so the JIT has compiled the data path (the epoll
     * dispatch, the flows' receive and send, the samples, with samples due every millisecond so their
     * branch is in the profile) before neper's measured window opens at the first data event; the
     * compiler's CPU would otherwise count in the run's rusage. Rounds, each with a fresh pair and a
     * connection to a listener (see {@link #warmUpListener}), follow one another until the compiler is
     * idle: a flow's first event and a listener's readiness happen once a round, so the JIT meets them
     * after it has compiled the loop too (in the first rounds only, they were missing from its profile
     * and the run's first flows made it recompile the loop in the measured window). The pairs are
     * AF_UNIX, or loopback TCP for --rx-zerocopy and --zerocopy, whose receive and send exist only on
     * TCP: warmed over AF_UNIX, their code was first compiled in the measured window, and recompiled
     * there when its first TCP events had invalidated what the warm-up had compiled. Every other
     * round has buffers of {@link #WARM_UP_SMALL_BUFFER}: a flow's chain of calls (see {@link Flow})
     * then runs to its budget or to EAGAIN, which an AF_UNIX pair (it queues about 200 KiB) never
     * shows with a large buffer, and which the JIT would otherwise compile as never happening, to
     * deoptimize the loop at the run's first long chain; and each round's reading flows first get a
     * readiness with nothing queued yet, the EAGAIN that ends a run's chains where a queue ends at a
     * buffer's end, which the warm-up's flows, read as fast as they are written, would not meet.
     * Host memory only: the devmem paths need their NIC.
     */
    private void warmUp() throws IOException {
        int listener = warmUpListener();
        boolean overTcp = listener >= 0 && (options.rxZerocopy() || options.zerocopy());
        warming = true;
        long started = System.nanoTime();
        try (WarmUpMemory large = new WarmUpMemory(warmUpBufferSize(), overTcp);
             WarmUpMemory small = new WarmUpMemory(Math.min(warmUpBufferSize(), WARM_UP_SMALL_BUFFER), overTcp)) {
            WarmUpMemory[] memories = {large, small};
            CompilerWatch compiler = new CompilerWatch();
            for (int round = 0; round < memories.length || !compiler.settled(); round++) {
                warmUpRound(warmUpSockets(overTcp), listener, memories[round % memories.length]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            warming = false;
            if (listener >= 0) {
                slots.set(slots.indexOf(listener), null);
                epoll.remove(listener);
                Sockets.closeQuietly(listener);
            }
        }
        RunLog.info(label + ": data path warmed up over " + (overTcp ? "loopback TCP" : "AF_UNIX") + " pairs in "
                + (System.nanoTime() - started) / 1_000_000L + " ms");
    }

    /** A warm-up round's buffers of one size, and its flows' settings. */
    private final class WarmUpMemory implements AutoCloseable {
        final int bufferSize;
        final HostFlowIoFactory factory;
        final Flow.Settings settings;

        WarmUpMemory(int bufferSize, boolean overTcp) {
            this.bufferSize = bufferSize;
            Options warmed = options.with(OptionSpec.BUFFER_SIZE, bufferSize);
            if (!overTcp) {
                warmed = warmed.with(OptionSpec.RX_ZEROCOPY, false).with(OptionSpec.ZEROCOPY, false);
            }
            this.factory = new HostFlowIoFactory(warmed);
            this.settings = new Flow.Settings(flowSettings.sendFlags(), bufferSize, flowSettings.edgeTriggered(),
                    flowSettings.delayNanos(), sleeper, new IoCounters(), false);
        }

        @Override
        public void close() {
            factory.close();
        }
    }

    private int warmUpBufferSize() {
        return Math.min(options.bufferSize(), WARM_UP_BUFFER_LIMIT);
    }

    /**
     * A round's sockets: a pair whose first end sends into the second and, with -rw, a second pair
     * whose ends both send and read, as the run's flows do; the one-way ends give the tests on a flow's
     * direction and readiness their other outcome (an -rw flow whose socket is full wakes on EPOLLIN
     * alone), which the JIT would otherwise compile as never happening, to deoptimize the loop there.
     */
    private int[] warmUpSockets(boolean overTcp) throws SysCallException {
        int[] oneWay = overTcp ? warmUpTcpPair() : Sockets.unixStreamPair();
        if (!(options.enableRead() && options.enableWrite())) {
            return oneWay;
        }
        try {
            int[] bothWays = overTcp ? warmUpTcpPair() : Sockets.unixStreamPair();
            return new int[] {oneWay[0], oneWay[1], bothWays[0], bothWays[1]};
        } catch (SysCallException e) {
            Sockets.closeQuietly(oneWay[0]);
            Sockets.closeQuietly(oneWay[1]);
            throw e;
        }
    }

    /** A loopback TCP pair for the warm-up, with SO_ZEROCOPY as the run's flows have it. */
    private int[] warmUpTcpPair() throws SysCallException {
        int[] pair = Sockets.loopbackStreamPair(Sockets.SOCK_NONBLOCK, WARM_UP_CONNECT_MILLIS);
        if (options.zerocopy()) {
            try {
                for (int fd : pair) {
                    Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_ZEROCOPY, "SO_ZEROCOPY", 1);
                }
            } catch (SysCallException e) {
                Sockets.closeQuietly(pair[0]);
                Sockets.closeQuietly(pair[1]);
                throw e;
            }
        }
        return pair;
    }

    /**
     * One warm-up round: flows on new sockets (see {@link #warmUpSockets}) and a connection to the
     * listener (if there is one), the loop until the round ends, the flows and the connection closed.
     */
    private void warmUpRound(int[] sockets, int listener, WarmUpMemory memory) throws IOException, InterruptedException {
        List<Flow> warm = new ArrayList<>();
        int connecting = -1;
        try {
            if (listener >= 0) {
                connecting = Sockets.open(SockAddr.AF_INET, Sockets.SOCK_NONBLOCK);
                Sockets.startConnect(connecting, Sockets.localAddress(listener));
            }
            RunClock warmClock = new RunClock(CpuUsage.rusage());
            ThreadUsage warmUsage = new ThreadUsage(1_000_000L, CpuUsage.rusage());
            for (int end = 0; end < sockets.length; end++) {
                boolean bothWays = end >= 2;
                boolean reads = bothWays || end == 1;
                boolean writes = bothWays || end == 0;
                FlowIo io = memory.factory.open(new FlowContext(index, -1 - end, sockets[end], memory.bufferSize, reads,
                        writes));
                Flow flow = new Flow(sockets[end], index, -1 - end, io, new FlowSamples(index, -1 - end, 1_000_000L, 16,
                        warmUsage), warmClock, reads, writes, memory.settings, "warm-up", "warm-up");
                warm.add(flow);
                flow.register(epoll, slots.size());
                slots.add(flow);
            }
            for (Flow flow : warm) {
                if (flow.reads()) {
                    flow.onEvents(Epoll.EPOLLIN, true);
                }
            }
            Thread timer = Thread.ofPlatform().name(label + "-warm-up").start(() -> {
                try {
                    Thread.sleep(WARM_UP_ROUND_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop = Stop.WARMED;
                try {
                    wake.signal();
                } catch (SysCallException e) {
                    throw new IllegalStateException("cannot end the warm-up: " + e.getMessage(), e);
                }
            });
            loop();
            timer.join();
            wake.reset();
            stop = Stop.NONE;
        } finally {
            for (int end = 0; end < sockets.length; end++) {
                if (end < warm.size()) {
                    Flow flow = warm.get(end);
                    int slot = slots.indexOf(flow);
                    if (slot >= 0) {
                        slots.set(slot, null);
                    }
                    if (flow.isOpen()) {
                        epoll.remove(flow.fd());
                    }
                    flow.closeSocket();
                } else {
                    Sockets.closeQuietly(sockets[end]);
                }
            }
            pending.clear();
            Sockets.closeQuietly(connecting);
        }
    }

    /**
     * A loopback listener among the warm-up's slots, which each round connects to, so the loop's
     * dispatch has seen a listener's readiness before the run's first accept: in the rounds after the
     * first, when the JIT profiles and compiles the loop (seen only in the first, the listener's slot
     * type was missing from the profile and the run's first accept made the JIT recompile the loop in
     * the measured window). Each accepted socket is closed at once. Returns -1 where loopback cannot be
     * used.
     */
    private int warmUpListener() {
        int listener = -1;
        try {
            listener = DataSockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Options.defaults());
            epoll.add(listener, Epoll.EPOLLIN, slots.size());
            slots.add(listener);
            return listener;
        } catch (SysCallException e) {
            Sockets.closeQuietly(listener);
            return -1;
        }
    }

    /**
     * Whether the JIT has settled: it has finished no compilation for {@link #WARM_UP_QUIET_MILLIS},
     * after at least {@link #WARM_UP_MIN_MILLIS}, or {@link #WARM_UP_MAX_MILLIS} have passed; the
     * minimum alone where the JVM does not report its compilation time.
     */
    private static final class CompilerWatch {
        private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        private final boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        private final long start = System.nanoTime();
        private long compiled = timed ? jit.getTotalCompilationTime() : 0;
        private long lastChange = start;

        boolean settled() {
            long now = System.nanoTime();
            long ran = (now - start) / 1_000_000L;
            if (!timed) {
                return ran >= WARM_UP_MIN_MILLIS;
            }
            long total = jit.getTotalCompilationTime();
            if (total != compiled) {
                compiled = total;
                lastChange = now;
            }
            return (ran >= WARM_UP_MIN_MILLIS && (now - lastChange) / 1_000_000L >= WARM_UP_QUIET_MILLIS)
                    || ran >= WARM_UP_MAX_MILLIS;
        }
    }

    /**
     * Opens this thread's listener on every data port, all with SO_REUSEPORT; with {@code steering}
     * (-N, on thread 0, the first to listen) the port's group chooses listeners by NUMA node. A
     * connection accepted there becomes a flow only when {@code admission} takes it.
     */
    void listenOn(InetSocketAddress bindAddress, ReuseportNumaProgram steering, FlowAdmission admission)
            throws SysCallException {
        this.admission = admission;
        for (int p = 0; p < options.numPorts(); p++) {
            InetSocketAddress address = new InetSocketAddress(bindAddress.getAddress(), options.port() + p);
            int fd = DataSockets.listen(address, options, steering);
            listeners.add(fd);
            epoll.add(fd, Epoll.EPOLLIN, slots.size());
            slots.add(fd);
        }
    }

    /**
     * Connects this thread's client flows and registers them: one after another, or with
     * --async-connect all started at once and then awaited together.
     */
    void connect(List<InetSocketAddress> targets, List<InetSocketAddress> sources) throws IOException {
        if (!options.asyncConnect()) {
            for (int i = 0; i < targets.size(); i++) {
                int fd = DataSockets.connect(targets.get(i), sources.get(i), options);
                addConnected(fd, targets.get(i));
            }
            return;
        }
        List<DataSockets.PendingConnect> started = new ArrayList<>();
        try {
            for (int i = 0; i < targets.size(); i++) {
                started.add(DataSockets.startConnect(targets.get(i), sources.get(i), options));
            }
            DataSockets.finishConnect(started);
        } catch (SysCallException e) {
            started.forEach(p -> Sockets.closeQuietly(p.fd()));
            throw e;
        }
        for (int i = 0; i < started.size(); i++) {
            try {
                addConnected(started.get(i).fd(), started.get(i).target());
            } catch (IOException e) {
                started.subList(i + 1, started.size()).forEach(p -> Sockets.closeQuietly(p.fd()));
                throw e;
            }
        }
    }

    private void addConnected(int fd, InetSocketAddress target) throws IOException {
        try {
            addFlow(fd);
        } catch (IOException e) {
            Sockets.closeQuietly(fd);
            throw new IOException("flow to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The directions of this thread's next flow. With --split-bidir a client sends on its odd flows
     * and reads on its even ones, and a server starts both ways (a flow stops sending once data
     * arrives on it), as neper splits them.
     */
    private void addFlow(int fd) throws IOException {
        int flowIndex = flows.size();
        boolean reads = options.enableRead();
        boolean writes = options.enableWrite();
        if (options.splitBidir() && options.client()) {
            writes = (flowIndex & 1) == 1;
            reads = !writes;
        }
        FlowIo io = ioFactory.open(new FlowContext(index, flowIndex, fd, options.bufferSize(), reads, writes));
        FlowSamples samples = new FlowSamples(index, flowIndex, intervalNanos, expectedSamples, usage);
        Flow flow = new Flow(fd, index, flowIndex, io, samples, clock, reads, writes, flowSettings,
                String.valueOf(Sockets.localAddress(fd)), String.valueOf(Sockets.peerAddress(fd)));
        flows.add(flow);
        flow.register(epoll, slots.size());
        slots.add(flow);
        openFlows++;
    }

    /**
     * Turns until stopped. The loop is one call per turn, so the JIT compiles {@link #turn} by its
     * invocations (the warm-up makes thousands) rather than this loop's body by on-stack replacement,
     * which each fresh call of this method, the run's included, would begin again in the interpreter.
     */
    private void loop() throws SysCallException {
        draining = false;
        drainDeadline = 0;
        int idleWait = options.nonblocking() ? NONBLOCKING_WAIT_MILLIS : -1;
        while (turn(idleWait)) {
            // each turn is one wait and its events
        }
    }

    /** One epoll wait and the events it returned; false once the loop is to end. */
    private boolean turn(int idleWait) throws SysCallException {
        int ready = epoll.await(!pending.isEmpty() ? 0 : draining ? DRAIN_QUIET_MILLIS : idleWait);
        if (draining && (System.nanoTime() > drainDeadline || (ready == 0 && pending.isEmpty()))) {
            return false;
        }
        for (int i = 0; i < ready; i++) {
            int slot = (int) epoll.readyData(i);
            Object target = slots.get(slot);
            if (target instanceof Flow flow) {
                serve(flow, slot, epoll.readyEvents(i), !draining);
            } else if (target instanceof Integer listener) {
                acceptAll(listener);
            } else if (target == wake && !onStopRequest()) {
                return false;
            }
        }
        servePending(!draining);
        return true;
    }

    /** The wake-up's request: false when it ends the loop at once; a drain begins here. */
    private boolean onStopRequest() throws SysCallException {
        Stop requested = stop;
        if (requested == Stop.WARMED) {
            return false;
        }
        if (requested == Stop.NOW) {
            flushSends();
            return false;
        }
        if (requested == Stop.DRAIN && !draining) {
            draining = true;
            drainDeadline = System.nanoTime() + DRAIN_LIMIT_NANOS;
            startDraining();
        }
        return true;
    }

    private void serve(Flow flow, int slot, int events, boolean sending) {
        if (!flow.onEvents(events, sending)) {
            slots.set(slot, null);
            openFlows--;
        } else if (flow.pendingEvents() != 0 && !flow.queued()) {
            flow.queued(true);
            pending.add(flow);
        }
    }

    /** One more turn for each flow the edge budget cut short; the ones that drained leave the list. */
    private void servePending(boolean sending) {
        for (int i = 0; i < pending.size(); ) {
            Flow flow = pending.get(i);
            if (flow.isOpen() && flow.pendingEvents() != 0 && flow.onEvents(flow.pendingEvents(), sending)
                    && flow.pendingEvents() != 0) {
                i++;
                continue;
            }
            if (!flow.isOpen()) {
                int slot = slots.indexOf(flow);
                if (slot >= 0) {
                    slots.set(slot, null);
                    openFlows--;
                }
            }
            flow.queued(false);
            pending.set(i, pending.getLast());
            pending.removeLast();
        }
    }

    /**
     * Makes everything counted as sent reach the peer before the final exchange: a send with MSG_MORE
     * may leave its tail queued for more data that will never come, which TCP_NODELAY pushes out;
     * then waits (at most {@link #ACK_WAIT_NANOS}) until the peer has acknowledged every byte, so
     * the receiver holds all of it when CLI_DONE arrives and its count matches ours, and the last
     * zerocopy completions are in.
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
            flow.reapErrorQueue();
        }
    }

    /** Stops sending and listening; keeps reading what the peer sent before it stopped. */
    private void startDraining() throws SysCallException {
        epoll.remove(wake.fd());
        for (int listener : listeners) {
            epoll.remove(listener);
        }
        int edge = options.edgeTrigger() ? Epoll.EPOLLET : 0;
        for (int slot = 0; slot < slots.size(); slot++) {
            if (slots.get(slot) instanceof Flow flow && flow.isOpen()) {
                if (flow.reads()) {
                    flow.draining();
                    epoll.modify(flow.fd(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP | edge, slot);
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
            accepted(fd);
        }
    }

    /**
     * A new data connection on one of this thread's listeners becomes a flow if it is one the control
     * sessions announced; a stray is reset at once (the warm-up's own connection is just closed).
     */
    private void accepted(int fd) {
        if (warming) {
            Sockets.closeQuietly(fd);
            return;
        }
        try {
            InetSocketAddress peer = Sockets.peerAddress(fd);
            String describe = "from " + peer + " to " + Sockets.localAddress(fd);
            if (!admission.admit(peer.getAddress(), describe)) {
                Sockets.setLinger(fd, true, 0);
                Sockets.closeQuietly(fd);
                return;
            }
            RunLog.info(label + " thread " + index + ": data connection " + describe + " taken as a flow");
        } catch (SysCallException e) {
            // gone before it could be looked at (reset by its peer): nothing to take or refuse
            Sockets.closeQuietly(fd);
            return;
        }
        try {
            DataSockets.applyAcceptedOptions(fd, options);
            addFlow(fd);
        } catch (IOException e) {
            Sockets.closeQuietly(fd);
            RunLog.error(label + " thread " + index + ": accepted data connection dropped: " + e.getMessage());
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
        sleeper.close();
    }
}
