package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.OptionChecks;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ThroughputUnit;
import dev.neper.fleet.runner.control.ControlConnection;
import dev.neper.fleet.runner.control.ControlException;
import dev.neper.fleet.runner.control.ControlListener;
import dev.neper.fleet.runner.control.ControlMessage;
import dev.neper.fleet.runner.control.MessageType;
import dev.neper.fleet.runner.lifecycle.Termination;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.output.NeperOutput;
import dev.neper.fleet.runner.contract.ReceiverReport;
import dev.neper.fleet.runner.contract.Role;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.contract.UsageReport;
import dev.neper.fleet.runner.contract.ZerocopyReport;
import dev.neper.fleet.runner.stats.CpuUsage;
import dev.neper.fleet.runner.stats.FlowSamples;
import dev.neper.fleet.runner.stats.ReceiveStatistics;
import dev.neper.fleet.runner.stats.RunClock;
import dev.neper.fleet.runner.stats.ThroughputCalculator;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.sys.NumaNodes;
import dev.neper.fleet.runner.sys.ReuseportNumaProgram;
import dev.neper.fleet.runner.sys.Rusage;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One tcp_stream run in either role, in neper's order: control plane up, worker threads set up and
 * past the barrier, the timed transfer, the stop, the statistics, the final control exchange.
 * Failures become {@link RunError}s in the report; the run always unwinds and closes what it opened.
 */
public final class StreamRun {
    /** How long a client waits for SER_ACK and SER_BYE before calling the server unresponsive. */
    static final long CONTROL_REPLY_TIMEOUT_MILLIS = 15_000;
    private static final long WAIT_SLICE_MILLIS = 100;

    private final Options options;
    private final Termination termination;
    private final FlowIoFactory ioFactory;
    private final Consumer<List<String>> output;
    private final String runnerVersion;
    private final String label;
    private final Runnable onReady;
    private final CpuUsage cpuUsage;
    private final RunClock clock;
    private final List<RunError> errors = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    /** Opens once every worker is set up: no thread serves a flow before then, as with neper's barrier. */
    private final CountDownLatch serving = new CountDownLatch(1);
    /** A server's data connections: the announced flows, and the strays it refused. */
    private final FlowAdmission admission = new FlowAdmission();
    private final double interval;
    private Runnable onClients = () -> { };
    private ReceiveStatistics receiverStats;
    /** The process usage where neper takes rusage_end: once the transfer is over, before the threads stop. */
    private Rusage endUsage;
    private int invalidSecretCount;
    private long remoteRate;
    private String controlPeer;

    /**
     * @param label   names this run's threads and log lines (a link's device in a multi-link run)
     * @param output  receives the key=value lines as the run produces them (the start block, then the
     *                end block), so a caller can print them as neper does
     * @param onReady runs once the server listens on its control and data ports, or once the client's
     *                flows are connected
     */
    public StreamRun(Options options, Termination termination, FlowIoFactory ioFactory, String label,
                     Consumer<List<String>> output, Runnable onReady, String runnerVersion) {
        this.options = options;
        this.termination = termination;
        this.ioFactory = ioFactory;
        this.label = label;
        this.output = output;
        this.onReady = onReady;
        this.runnerVersion = runnerVersion;
        this.interval = adjustedInterval(options.interval(), options.testLength());
        this.cpuUsage = options.stimeUseProc() && !options.dryRun() ? CpuUsage.procStat(options.numThreads())
                : CpuUsage.rusage();
        this.clock = new RunClock(cpuUsage);
    }

    /** Runs {@code hook} once a server has every client it waits for (their hellos taken), before the transfer. */
    public StreamRun onClients(Runnable hook) {
        this.onClients = hook;
        return this;
    }

    /** neper's adjust_interval: at least five samples per run, so a short test samples every 0.2 s. */
    static double adjustedInterval(double interval, int testLength) {
        final int minSamples = 5;
        return testLength / interval < minSamples ? 1.0 / minSamples : interval;
    }

    /** Runs; returns null for a dry run, else the report (errors included). */
    public RunReport run() {
        List<Integer> allowedCpus;
        try {
            allowedCpus = CpuSet.allowed();
        } catch (SysCallException e) {
            allowedCpus = List.of();
        }
        List<String> coreLines = options.dryRun() ? List.of()
                : List.of("allowed_core_num=" + allowedCpus.size(), "allowed_cores=" + CpuSet.format(allowedCpus));
        output.accept(NeperOutput.startLines(options, coreLines));
        if (options.dryRun()) {
            return null;
        }
        boolean transferred = false;
        try {
            transferred = options.client() ? runClient(allowedCpus) : runServer(allowedCpus);
        } catch (ControlException e) {
            errors.add(new RunError(e.kind(), e.getMessage()));
        } catch (IOException e) {
            errors.add(new RunError(ErrorKind.INTERNAL, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add(new RunError(ErrorKind.INTERNAL, "interrupted"));
        } catch (RuntimeException e) {
            RunLog.error(label + ": unexpected " + e);
            errors.add(new RunError(ErrorKind.INTERNAL, "unexpected " + e));
        } finally {
            if (endUsage == null) {
                endUsage = cpuUsage.self();
            }
            stopAndRelease();
        }
        RunReport report = report(endUsage);
        if (transferred) {
            output.accept(NeperOutput.endLines(report));
        }
        return report;
    }

    private boolean runServer(List<Integer> cpus) throws IOException, InterruptedException {
        InetSocketAddress bind = new InetSocketAddress(bindAddress(), options.controlPort());
        try (ControlListener control = ControlListener.open(bind, options.listenBacklog())) {
            RunLog.info(label + ": control port open on " + control.address());
            try (ReuseportNumaProgram steering = options.pinNuma() ? numaSteering(cpus) : null) {
                startWorkers(cpus, worker -> worker.listenOn(bind, worker.index() == 0 ? steering : null, admission));
            }
            onReady.run();
            clock.takeStartUsageIfUnstarted();
            List<ControlConnection> clients;
            try {
                clients = control.acceptClients(options.numClients(), ControlMessage.ack(options.magic(),
                        options.numThreads(), options.numFlows(), options.testLength()),
                        (peer, hello) -> admission.announce(peer.getAddress(), hello.numFlows()), termination);
            } finally {
                invalidSecretCount = control.invalidCount();
            }
            control.close();
            onClients.run();
            controlPeer = clients.getFirst().peer().toString();
            long doneBy = System.nanoTime() + cliDoneTimeoutMillis(options.testLength()) * 1_000_000L;
            List<ControlConnection> lost = new ArrayList<>();
            for (ControlConnection client : clients) {
                try {
                    ControlMessage done = awaitDone(client, doneBy);
                    if (!done.is(MessageType.CLI_DONE) || done.magic() != options.magic()) {
                        RunLog.warn("Abandoning client " + client.peer() + ": expected CLI_DONE with magic "
                                + options.magic() + ", got " + done);
                        errors.add(new RunError(ErrorKind.CONTROL_PROTOCOL, "client " + client.peer()
                                + " sent " + done + " where CLI_DONE was expected"));
                        continue;
                    }
                    remoteRate = done.remoteRate();
                } catch (ControlException e) {
                    errors.add(new RunError(e.kind(), e.getMessage()));
                    lost.add(client);
                }
            }
            endUsage = cpuUsage.self();
            stopWorkers(lost.isEmpty());
            ReceiveStatistics stats = receiveStatistics();
            long localRate = localRate(stats);
            for (ControlConnection client : clients) {
                if (!lost.contains(client)) {
                    try {
                        client.send(ControlMessage.bye(options.magic(), localRate));
                    } catch (ControlException e) {
                        errors.add(new RunError(e.kind(), e.getMessage()));
                    }
                }
                client.close();
            }
            return true;
        }
    }

    /**
     * How long after the hellos a server waits for CLI_DONE: the test length, then as long as a client
     * waits for SER_BYE. A client sends it once its test length has passed, so a link whose CLI_DONE
     * does not come by then has stalled (its peer or the path between them is gone): it ends with
     * that reason instead of waiting for the suicide length.
     */
    static long cliDoneTimeoutMillis(int testLengthSeconds) {
        return testLengthSeconds * 1000L + CONTROL_REPLY_TIMEOUT_MILLIS;
    }

    private ControlMessage awaitDone(ControlConnection client, long doneBy) throws ControlException {
        long left = Math.max(0, (doneBy - System.nanoTime()) / 1_000_000L);
        try {
            return client.receive(MessageType.CLI_DONE.name(), left, termination);
        } catch (ControlException e) {
            if (e.kind() != ErrorKind.CONTROL_PROTOCOL || System.nanoTime() < doneBy) {
                throw e;
            }
            throw new ControlException(ErrorKind.PEER_LOST, "the link stalled: no CLI_DONE from " + client.peer()
                    + " within " + cliDoneTimeoutMillis(options.testLength()) / 1000 + " s of its hello (a "
                    + options.testLength() + " s test and " + CONTROL_REPLY_TIMEOUT_MILLIS / 1000 + " s to report)");
        }
    }

    private boolean runClient(List<Integer> cpus) throws IOException, InterruptedException {
        List<InetAddress> addresses = serverAddresses();
        List<InetSocketAddress> localHosts = localHosts();
        // a runner server takes flows only from its control peer's address: the control connection
        // leaves as the first flow does, from the first -L address and through --bind-device's device
        InetSocketAddress controlSource = localHosts.isEmpty() ? null : localHosts.getFirst();
        try (ControlConnection control = ControlConnection.connect(addresses, controlSource, options.bindDevice(),
                options.controlPort(), options.connectRetries(), termination)) {
            controlPeer = control.peer().toString();
            control.send(ControlMessage.hello(options.magic(), options.numThreads(), options.numFlows(),
                    options.testLength(), options.maxPacingRate()));
            ControlMessage ack = control.receive(MessageType.SER_ACK.name(), CONTROL_REPLY_TIMEOUT_MILLIS, termination);
            ControlConnection.expect(ack, MessageType.SER_ACK, options.magic(), control.peer());
            RunLog.info(label + ": SER_ACK from " + control.peer() + ": " + ack);
            InetAddress server = control.peer().getAddress();
            if (!waitBeforeFlows()) {
                return false;
            }
            startWorkers(cpus, worker -> {
                int first = FlowLayout.firstFlowOfThread(worker.index(), options.numFlows(), options.numThreads());
                int count = FlowLayout.flowsInThread(worker.index(), options.numFlows(), options.numThreads());
                List<InetSocketAddress> targets = new ArrayList<>();
                List<InetSocketAddress> sources = new ArrayList<>();
                for (int g = first; g < first + count; g++) {
                    targets.add(new InetSocketAddress(server, FlowLayout.dataPort(g, options.port(), options.numPorts())));
                    sources.add(sourceAddress(g, server, localHosts));
                }
                worker.connect(targets, sources);
            });
            onReady.run();
            clock.takeStartUsageIfUnstarted();
            awaitTestEnd();
            endUsage = cpuUsage.self();
            stopWorkers(false);
            long localRate = localRate(receiveStatistics());
            control.send(ControlMessage.done(options.magic(), localRate));
            control.shutdownOutput();
            ControlMessage bye = control.receive(MessageType.SER_BYE.name(), CONTROL_REPLY_TIMEOUT_MILLIS, termination);
            ControlConnection.expect(bye, MessageType.SER_BYE, options.magic(), control.peer());
            remoteRate = bye.remoteRate();
            return true;
        }
    }

    /**
     * --wait-start: a client waits this long after the handshake before it opens its flows, as
     * neper's does; false when the run was terminated meanwhile.
     */
    private boolean waitBeforeFlows() throws InterruptedException {
        long end = System.nanoTime() + options.waitStartSeconds() * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (termination.requested()) {
                errors.add(termination.reason());
                return false;
            }
            Thread.sleep(Math.min(WAIT_SLICE_MILLIS, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
        }
        return true;
    }

    /**
     * -N on a server: the reuseport program that gives each connection to a listener of a thread on the
     * NUMA node of its SYN, as neper's does (listener k of each port is thread k's: they listen in order).
     */
    private ReuseportNumaProgram numaSteering(List<Integer> cpus) throws ControlException {
        try {
            return ReuseportNumaProgram.load(options.numThreads(), NumaNodes.cpusByNode(cpus).size());
        } catch (SysCallException e) {
            throw new ControlException(ErrorKind.UNSUPPORTED, "-N steers connections by NUMA node with an eBPF"
                    + " program, which this host refused: " + e.getMessage());
        }
    }

    /**
     * Warms the process's data path if no run has yet, starts the workers, waits for every one to be
     * set up and only then lets them serve their flows (neper's barrier); fails if any setup failed. A
     * server's threads set up one after another, in order, as neper's do, so listener k of every port's
     * reuseport group is thread k's.
     */
    private void startWorkers(List<Integer> cpus, Worker.Setup setup) throws IOException, InterruptedException {
        Worker.warmUpOnce(label, options, interval, clock, cpuUsage);
        CountDownLatch ready = new CountDownLatch(options.numThreads());
        CountDownLatch previous = new CountDownLatch(0);
        List<List<Integer>> nodes = options.pinNuma() ? NumaNodes.cpusByNode(cpus) : List.of();
        for (int i = 0; i < options.numThreads(); i++) {
            List<Integer> placement;
            try {
                placement = CpuPlacement.forThread(i, options.pinCpu(), options.pinNuma(), cpus, nodes);
            } catch (IllegalStateException e) {
                throw new ControlException(ErrorKind.UNSUPPORTED, e.getMessage());
            }
            Worker worker = new Worker(label, i, options, interval, clock, cpuUsage, ioFactory, placement);
            workers.add(worker);
            if (options.client()) {
                worker.start(setup, ready, serving);
                continue;
            }
            CountDownLatch before = previous;
            CountDownLatch done = new CountDownLatch(1);
            previous = done;
            worker.start(w -> {
                try {
                    before.await();
                    setup.run(w);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted before setting up", e);
                } finally {
                    done.countDown();
                }
            }, ready, serving);
        }
        ready.await();
        for (Worker worker : workers) {
            if (worker.failure() != null) {
                throw new ControlException(worker.failure().kind(), worker.failure().message());
            }
        }
        serving.countDown();
    }

    /**
     * The client's timed wait: the test length, unless terminated or every flow has died first; with
     * --iostat-ms it prints the IO counters of each period meanwhile, as neper's client does.
     */
    private void awaitTestEnd() throws InterruptedException {
        long start = System.nanoTime();
        long end = start + options.testLength() * 1_000_000_000L;
        long period = options.iostatMillis() * 1_000_000L;
        IoStatLine iostat = period > 0 ? new IoStatLine(start) : null;
        long nextLine = start + period;
        while (System.nanoTime() < end && !termination.requested()) {
            if (workers.stream().allMatch(w -> w.openFlows() == 0 || w.failure() != null)) {
                errors.add(new RunError(ErrorKind.DATA_CONNECTION, "every data connection ended "
                        + String.format("%.1f", options.testLength() - (end - System.nanoTime()) / 1e9)
                        + " s into a " + options.testLength() + " s run"));
                return;
            }
            long now = System.nanoTime();
            if (iostat != null && now >= nextLine) {
                output.accept(List.of(iostat.next(now, IoCounters.sum(workers.stream().map(Worker::counters).toList()))));
                nextLine += period;
            }
            long wake = iostat != null ? Math.min(end, nextLine) : end;
            Thread.sleep(Math.max(1, Math.min(WAIT_SLICE_MILLIS, (wake - System.nanoTime()) / 1_000_000L)));
        }
        if (iostat != null) {
            // neper's client prints once more when its timer ends the run, for the last part of a period
            output.accept(List.of(iostat.next(System.nanoTime(), IoCounters.sum(workers.stream().map(Worker::counters).toList()))));
        }
        if (termination.requested()) {
            errors.add(termination.reason());
        }
    }

    private void stopWorkers(boolean drain) throws InterruptedException {
        for (Worker worker : workers) {
            worker.requestStop(drain && options.enableRead());
        }
        for (Worker worker : workers) {
            worker.join();
            if (worker.failure() != null) {
                errors.add(worker.failure());
            }
        }
    }

    /** Workers still running after a failure are stopped without drain; then everything is closed. */
    private void stopAndRelease() {
        for (Worker worker : workers) {
            worker.requestStop(false);
        }
        // workers of a run that failed before serving wait for this: with the stop asked, they end at once
        serving.countDown();
        for (Worker worker : workers) {
            try {
                worker.awaitExit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker.release();
        }
    }

    /** Computes the receiver's statistics once all workers have stopped; null on a side that does not read. */
    private ReceiveStatistics receiveStatistics() throws IOException {
        if (!options.enableRead()) {
            return null;
        }
        List<FlowSamples> samples = workers.stream().flatMap(w -> w.samples().stream()).toList();
        if (options.allSamples() != null) {
            try (Writer csv = Files.newBufferedWriter(Path.of(options.allSamples()))) {
                receiverStats = ThroughputCalculator.compute(samples, csv);
            }
        } else {
            receiverStats = ThroughputCalculator.compute(samples, null);
        }
        if (!receiverStats.sufficient()) {
            errors.add(new RunError(ErrorKind.NO_DATA, "insufficient number of samples, needed 2 or more, got "
                    + receiverStats.numSamples()));
        }
        return receiverStats;
    }

    /** neper's local_rate: 8 x bytes/s, truncated to an integer; 0 for a side that did not read. */
    private static long localRate(ReceiveStatistics stats) {
        return stats == null || !stats.sufficient() ? 0 : (long) (8 * stats.bytesPerSecond());
    }

    private RunReport report(Rusage end) {
        List<FlowReport> flows = workers.stream().flatMap(w -> w.flowReports().stream()).toList();
        List<RunError> allErrors = new ArrayList<>(errors);
        allErrors.addAll(ioFactory.errors());
        flows.stream().filter(f -> f.error() != null).forEach(f -> allErrors.add(new RunError(ErrorKind.DATA_CONNECTION,
                "flow " + f.thread() + "/" + f.flow() + " " + f.localAddress() + " -> " + f.remoteAddress() + ": "
                        + f.error())));
        if (termination.requested() && !allErrors.contains(termination.reason())) {
            allErrors.add(termination.reason());
        }
        ReceiverReport receiver = null;
        if (receiverStats != null) {
            ReceiveStatistics s = receiverStats;
            if (s.sufficient()) {
                ThroughputUnit unit = options.throughputOpt().resolve(s.bytesPerSecond());
                receiver = new ReceiverReport(s.numSamples(), s.timeEndNanos(), s.correlationCoefficient(),
                        s.bytesPerSecond() / unit.bytesPerSecond(), unit.label(), s.bytesPerSecond(), s.bytes());
            } else {
                receiver = new ReceiverReport(s.numSamples(), 0, Double.NaN, 0, null, 0, 0);
            }
        }
        ZerocopyReport zerocopy = ioFactory.zerocopy();
        if (zerocopy != null && zerocopy.receiving() && zerocopy.percentMapped() < 10) {
            RunLog.warn(label + ": only " + zerocopy.percentMapped() + "% of the bytes received were mapped by"
                    + " TCP_ZEROCOPY_RECEIVE; payloads map only in whole 4 KiB pages (an MTU of 4 KiB plus headers),"
                    + " and best from a sender using MSG_ZEROCOPY");
        }
        return new RunReport(RunReport.SCHEMA_VERSION, runnerVersion, options.client() ? Role.CLIENT : Role.SERVER,
                allErrors.isEmpty(), options, controlPeer, invalidSecretCount, admission.refused(), clock.startNanos(), receiver,
                localRate(receiverStats), remoteRate, new UsageReport(clock.startUsage(), end), flows, allErrors,
                ioFactory.validation(), ioFactory.devmem(), zerocopy);
    }

    /** The server binds to -H when given, else to the wildcard of the chosen family (IPv6 accepts IPv4 too). */
    private InetAddress bindAddress() throws ControlException {
        if (options.host() != null) {
            return resolve(options.host()).getFirst();
        }
        return InetAddress.ofLiteral(options.ipv4() ? "0.0.0.0" : "::");
    }

    /** The client connects to -H, or to the loopback address as neper's getaddrinfo(NULL) does. */
    private List<InetAddress> serverAddresses() throws ControlException {
        return resolve(options.host() != null ? options.host() : (options.ipv6() ? "::1" : "127.0.0.1"));
    }

    /**
     * A literal address as it is (no lookup: OptionChecks refused a malformed one), else the host
     * name's addresses of the run's family; a name that does not resolve is the command line's fault.
     */
    private List<InetAddress> resolve(String host) throws ControlException {
        List<InetAddress> all;
        if (OptionChecks.looksLikeAddress(host)) {
            all = List.of(InetAddress.ofLiteral(host));
        } else {
            try {
                all = Arrays.asList(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw new ControlException(ErrorKind.USAGE, "cannot resolve host name '" + host + "': " + e.getMessage());
            }
        }
        List<InetAddress> wanted = all.stream().filter(a -> options.ipv4() == options.ipv6()
                || (options.ipv4() && a instanceof Inet4Address) || (options.ipv6() && a instanceof Inet6Address)).toList();
        if (wanted.isEmpty()) {
            throw new ControlException(ErrorKind.USAGE, host + " has no " + (options.ipv4() ? "IPv4" : "IPv6") + " address");
        }
        return wanted;
    }

    private List<InetSocketAddress> localHosts() throws ControlException {
        if (options.localHosts() == null) {
            return List.of();
        }
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String host : options.localHosts().split(",")) {
            hosts.add(new InetSocketAddress(resolve(host.trim()).getFirst(), 0));
        }
        return hosts;
    }

    /** Flow g binds to local host g % n when -L is given, else to --source-port + g when that is set. */
    private InetSocketAddress sourceAddress(int flow, InetAddress server, List<InetSocketAddress> localHosts) {
        if (!localHosts.isEmpty()) {
            return localHosts.get(flow % localHosts.size());
        }
        if (options.sourcePort() > 0) {
            InetAddress any = InetAddress.ofLiteral(server instanceof Inet6Address ? "::" : "0.0.0.0");
            return new InetSocketAddress(any, options.sourcePort() + flow);
        }
        return null;
    }
}
