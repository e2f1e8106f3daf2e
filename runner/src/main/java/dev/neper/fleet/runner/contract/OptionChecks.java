package dev.neper.fleet.runner.contract;

import java.net.InetAddress;
import java.util.List;

/**
 * neper's option checks, with its messages, plus the runner's own limits. {@link #check} depends on
 * the options alone, so the operator runs it wherever it runs; {@link #checkNode} compares them with
 * the limits of the node the runner runs on, which only the runner can read.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /** The checks that hold on any node. */
    public static void check(Options o) throws UsageException {
        require(!(o.logToStderr() && o.noLog()), "--logtostderr and --nolog are mutually exclusive.");
        require(o.numFlows() >= 1, "There must be at least 1 flow.");
        require(o.numThreads() >= 1, "There must be at least 1 thread.");
        if (o.client()) {
            require(o.numFlows() >= o.numThreads(), "There should not be fewer flows than threads.");
            require(o.numFlows() >= localHostCount(o), "There should not be fewer flows than local hosts.");
        }
        require(o.bufferSize() > 0, "Buffer size must be positive.");
        require(o.client() || o.localHosts() == null, "local_hosts may only be set for clients.");
        require(o.interval() > 0, "Interval must be positive.");
        require(o.listenBacklog() >= 1, "listen() backlog must be positive.");
        require(o.maxEvents() >= 1, "Number of epoll events must be positive.");
        require(o.client() || o.waitStartSeconds() == 0, "The wait-start option is only valid for clients.");
        require(o.sourcePort() == -1 || o.localHosts() == null,
                "localhosts may not be specified when specifying source_ports");
        if (o.sourcePort() != -1) {
            require(o.sourcePort() >= 1 && o.sourcePort() + o.numFlows() - 1 <= 0xFFFF,
                    "Source ports need to be in the range of 1..0xFFFF. Best larger than 1024.");
        }
        require(!(o.rxZerocopy() && o.skipRxCopy()), "TCP RX zerocopy is not supported in conjunction RX copy skip.");
        require(!(o.tcpdValidate() && o.skipRxCopy() && o.enableRead()),
                "--tcpd-validate checks the bytes received; --skip-rx-copy discards them unread.");
        require(o.testLength() >= 1, "Test length must be at least 1 second.");
        require(o.numPorts() >= 1, "There must be at least 1 data port.");
        require(o.port() + o.numPorts() - 1 <= 0xFFFF, "Data ports port..port+num_ports-1 must lie in 1..0xFFFF.");
        require(o.controlPort() >= 1 && o.controlPort() <= 0xFFFF, "The control port must lie in 1..0xFFFF.");
        require(o.numClients() >= 1, "There must be at least 1 client.");
        require(o.suicideLength() >= 0, "Suicide length must not be negative.");
        require(o.connectRetries() >= 1, "There must be at least 1 connect attempt.");
        require(o.tcpTxDelay() >= 0, "TCP TX delay must not be negative.");
        require(o.reportJson() == null || !o.reportJson().isEmpty(), "--report-json needs a file name ('-' for stdout), got ''");
        require(o.allSamples() == null || !o.allSamples().isEmpty(), "-A/--all-samples needs a file name, got ''");
        if (o.host() != null) {
            checkHost("-H/--host", o.host());
        }
        if (o.localHosts() != null) {
            for (String local : o.localHosts().split(",", -1)) {
                checkHost("-L/--local-hosts", local.trim());
            }
        }
        checkDevmem(o);
        checkNeeds(ResourceNeeds.of(o));
    }

    /**
     * A links run's check beyond each link's own ({@link #check}): what all its links take together in
     * one process, against the same ceilings.
     */
    public static void checkLinkSet(List<Options> links) throws UsageException {
        checkNeeds(ResourceNeeds.ofLinks(links));
    }

    /**
     * The most host memory one runner may take for its payloads: 64 GiB. Past what a GPU node lends a
     * test beside its workload (a 1 GiB buffer on 1024 threads would be 2 TiB); a bigger test is a
     * mistake in the spec, refused before any node is asked.
     */
    public static final long MAX_PAYLOAD_MEMORY = 64L << 30;

    private static void checkNeeds(ResourceNeeds needs) throws UsageException {
        require(needs.memoryBytes() <= MAX_PAYLOAD_MEMORY, needs.shape() + " needs " + ResourceNeeds.size(needs.memoryBytes())
                + " of payload memory, more than the " + ResourceNeeds.size(MAX_PAYLOAD_MEMORY)
                + " a runner may take: lower -B (buffer size) or -T (threads, each with a receive and a send buffer)");
    }

    /** Whether {@code host} is meant as a numeric address (digits and dots, or a colon): never looked up by name. */
    public static boolean looksLikeAddress(String host) {
        return host.indexOf(':') >= 0 || (!host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')));
    }

    private static void checkHost(String flag, String host) throws UsageException {
        require(!host.isBlank(), flag + " needs a host name or IP address, got '" + host + "'");
        if (looksLikeAddress(host)) {
            try {
                InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " " + host + " is not an IPv4 or IPv6 address");
            }
        }
    }

    /**
     * Devmem options: --tcpd-validate works in every mode; the rest configure device memory and need
     * a devmem mode. Devmem runs need T = F = num_ports (flow i on thread i, port P+i, queue
     * queue_start+i, as the seed's tcpd branch does), and a receiver needs a queue per flow.
     */
    private static void checkDevmem(Options o) throws UsageException {
        if (!o.mode().isDevmem()) {
            for (OptionSpec option : OptionSpec.values()) {
                if (option.group() == OptionSpec.Group.DEVMEM && option != OptionSpec.TCPD_VALIDATE && o.isSet(option)) {
                    throw new UsageException("--" + option.longName()
                            + " configures device memory and needs --mode udmabuf or --mode cuda (this run is --mode host)");
                }
            }
            return;
        }
        require(o.numThreads() == o.numFlows() && o.numFlows() == o.numPorts(),
                "--mode " + o.mode().argument() + " needs num_threads = num_flows = num_ports (one flow per thread and"
                        + " data port, as the devmem data path steers flow i on port P+i to queue queue_start+i); got"
                        + " -T " + o.numThreads() + " -F " + o.numFlows() + " --num-ports " + o.numPorts());
        require(o.queueStart() >= 1, "--queue-start must be at least 1: RSS keeps the queues below it for other traffic.");
        require(o.queueNum() >= 1, "--queue-num must be at least 1.");
        if (o.enableRead()) {
            require(o.numFlows() <= o.queueNum(), "--mode " + o.mode().argument() + " steers each flow to its own"
                    + " queue: num_flows (" + o.numFlows() + ") must not exceed --queue-num (" + o.queueNum() + ").");
        }
        require(o.tcpdPhysLen() >= 0, "--tcpd-phys-len must not be negative.");
        for (OptionSpec hostReceive : new OptionSpec[] {OptionSpec.RX_ZEROCOPY, OptionSpec.SKIP_RX_COPY}) {
            require(!o.isSet(hostReceive), "--" + hostReceive.longName() + " receives into host memory; --mode "
                    + o.mode().argument() + " receives into device memory.");
        }
        require(o.bindDevice() == null || o.bindDevice().equals(o.tcpdLinkName()), "--mode " + o.mode().argument()
                + " binds its data sockets to the devmem link: --bind-device (" + o.bindDevice()
                + ") must be --tcpd-link-name (" + o.tcpdLinkName() + ") or left out.");
        require(!o.enableRead() || !o.enableWrite(), "--mode " + o.mode().argument()
                + " moves data one way per side: a devmem run cannot both read and write (-r with -w).");
    }

    /** The checks against the node's own limits; a limit that is not known passes. */
    public static void checkNode(Options o, NodeLimits limits) throws UsageException {
        if (limits.somaxconn().isPresent()) {
            int somaxconn = limits.somaxconn().getAsInt();
            require(o.listenBacklog() <= somaxconn, "listen() backlog cannot exceed " + NodeLimits.SOMAXCONN + " ("
                    + somaxconn + " on this node; --listen-backlog is " + o.listenBacklog() + ")");
        }
        checkNodeRoom(ResourceNeeds.of(o), limits);
    }

    /**
     * What a run needs against what the node has left, before anything starts: the first that falls
     * short is named with both numbers and the limit that sets it.
     */
    public static void checkNodeRoom(ResourceNeeds needs, NodeLimits limits) throws UsageException {
        if (limits.threads().isPresent()) {
            NodeLimits.Headroom room = limits.threads().get();
            require(needs.threads() <= room.available(), needs.shape() + " needs " + needs.threads()
                    + " threads; this node has room for " + Math.max(0, room.available()) + " (" + room.source() + ")");
        }
        if (limits.fileDescriptors().isPresent()) {
            NodeLimits.Headroom room = limits.fileDescriptors().get();
            require(needs.fileDescriptors() <= room.available(), needs.shape() + " needs " + needs.fileDescriptors()
                    + " file descriptors (a socket per flow, listeners, an epoll and an eventfd per thread); this node"
                    + " has room for " + Math.max(0, room.available()) + " (" + room.source() + ")");
        }
        if (limits.memory().isPresent()) {
            NodeLimits.Headroom room = limits.memory().get();
            require(needs.memoryBytes() <= room.available(), needs.shape() + " needs "
                    + ResourceNeeds.size(needs.memoryBytes()) + " of payload memory; this node has "
                    + ResourceNeeds.size(Math.max(0, room.available())) + " available (" + room.source() + ")");
        }
    }

    static int localHostCount(Options o) {
        return o.localHosts() == null ? 0 : o.localHosts().split(",", -1).length;
    }

    private static void require(boolean condition, String message) throws UsageException {
        if (!condition) {
            throw new UsageException(message);
        }
    }
}
