package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkPlacement;
import dev.neper.fleet.runner.contract.LinkReport;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;
import dev.neper.fleet.runner.contract.NodeReport;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.datapath.DataPath;
import dev.neper.fleet.runner.engine.FlowIoFactory;
import dev.neper.fleet.runner.engine.StreamRun;
import dev.neper.fleet.runner.lifecycle.Termination;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.sys.SysCallException;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.Role;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.RunReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one stream engine per link in this process, as multi_neper.py runs one tcp_stream per NIC.
 * A server brings its links up in order, each only once the previous one listens on all its ports,
 * so a probe of the last link's control port tells that every link is ready. Links fail
 * independently: one broken link does not stop the others.
 */
public final class LinkSetRun {
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");
    /** How long a server link without a client goes on once the node's other links are done with theirs. */
    static final long CLIENT_STRAGGLER_GRACE_MILLIS = 10_000;
    private static final long WATCH_SLICE_MILLIS = 200;

    /** Where each link's key=value lines go, as its run produces them (from the link's thread). */
    @FunctionalInterface
    public interface LinkOutput {
        void lines(LinkSpec link, List<String> lines);
    }

    private final LinkSetCommand command;
    private final List<LinkPlacement> placements;
    private final Termination termination;
    private final LinkOutput output;
    private final String runnerVersion;

    /**
     * Prints each link's lines on {@code out} prefixed with its device: "[eth1] throughput=...".
     * @param placements link i's NIC, GPU and CPUs, already in {@code command}'s links but for the CPUs
     */
    public LinkSetRun(LinkSetCommand command, List<LinkPlacement> placements, Termination termination, PrintStream out,
                      String runnerVersion) {
        this(command, placements, termination, prefixed(out), runnerVersion);
    }

    public LinkSetRun(LinkSetCommand command, List<LinkPlacement> placements, Termination termination,
                      LinkOutput output, String runnerVersion) {
        this.command = command;
        this.placements = List.copyOf(placements);
        this.termination = termination;
        this.output = output;
        this.runnerVersion = runnerVersion;
    }

    static LinkOutput prefixed(PrintStream out) {
        return (link, lines) -> {
            synchronized (out) {
                lines.forEach(line -> out.println("[" + link.device() + "] " + line));
                out.flush();
            }
        };
    }

    private final class Link {
        final int index;
        final LinkSpec spec;
        final LinkPlacement placement;
        final Options options;
        final CountDownLatch ready = new CountDownLatch(1);
        /** This link's own end, so one link can be ended while the others go on. */
        final Termination ending = termination.part();
        volatile boolean metClients;
        volatile RunReport report;
        Thread thread;

        Link(int index) {
            this.index = index;
            this.spec = command.links().get(index);
            this.placement = placements.get(index);
            this.options = command.linkOptions(index);
        }

        void start(LinkDevices devices) {
            thread = Thread.ofPlatform().name(spec.device()).start(() -> {
                RunLog.info(spec.device() + ": " + placement.describe());
                Optional<RunError> wrongDevice = devices == null ? Optional.empty() : devices.problem(spec, options.freebind());
                if (wrongDevice.isPresent()) {
                    report = RunReport.setupFailed(options, runnerVersion, wrongDevice.get());
                    ready.countDown();
                    return;
                }
                try {
                    runOnTheLinksCpus();
                } catch (SysCallException e) {
                    report = RunReport.setupFailed(options, runnerVersion, new RunError(ErrorKind.INTERNAL,
                            spec.device() + ": cannot run on CPUs " + placement.cpus() + ": " + e.getMessage()));
                    ready.countDown();
                    return;
                }
                try (FlowIoFactory memory = DataPath.open(options)) {
                    RunReport run = new StreamRun(options, ending, memory, spec.device(), this::print,
                            ready::countDown, runnerVersion).onClients(() -> metClients = true).run();
                    report = run.succeeded() ? run : explainedByTheDevice(run);
                } catch (IOException e) {
                    report = explainedByTheDevice(RunReport.setupFailed(options, runnerVersion, DataPath.setupError(e)));
                } catch (RuntimeException e) {
                    report = RunReport.setupFailed(options, runnerVersion,
                            new RunError(ErrorKind.INTERNAL, spec.device() + ": " + e.getMessage()));
                } finally {
                    ready.countDown();
                }
            });
        }

        /**
         * Keeps this link thread, and so every thread it starts, on the link's CPUs, as taskset keeps a
         * multi_neper tcp_stream on its range: -U then pins thread i to the i-th of them, and the
         * engine's allowed_cores are the link's.
         */
        void runOnTheLinksCpus() throws SysCallException {
            if (placement.cpus() != null) {
                CpuSet.restrictCurrentThread(CpuSet.parse(placement.cpus()));
            }
        }

        /** A failed link whose device is down failed because of that: say so first, and what it carried. */
        RunReport explainedByTheDevice(RunReport run) {
            return DeviceState.notWorking(SYS_CLASS_NET, spec.device())
                    .map(state -> run.withFirstError(new RunError(ErrorKind.LINK_DOWN,
                            linkDownMessage(spec.device(), state, run.bytesReceived() + run.bytesSent()))))
                    .orElse(run);
        }

        boolean running() {
            return thread.isAlive();
        }

        void print(List<String> lines) {
            output.lines(spec, lines);
        }
    }

    /**
     * Waits for every link to end. One client process serves all of a node's links, so once every
     * link that met its client has ended, a link still waiting for one waits for nothing: after
     * {@link #CLIENT_STRAGGLER_GRACE_MILLIS} it ends, saying so, instead of at the suicide length.
     */
    private void endLinksLeftWithoutClient(List<Link> links) throws InterruptedException {
        long lastServedEnd = 0;
        while (links.stream().anyMatch(Link::running)) {
            boolean anyServed = links.stream().anyMatch(l -> l.metClients);
            boolean servedAllEnded = links.stream().noneMatch(l -> l.metClients && l.running());
            if (!anyServed || !servedAllEnded) {
                lastServedEnd = 0;
            } else if (lastServedEnd == 0) {
                lastServedEnd = System.nanoTime();
            } else if (System.nanoTime() - lastServedEnd > CLIENT_STRAGGLER_GRACE_MILLIS * 1_000_000L) {
                String served = links.stream().filter(l -> l.metClients).map(l -> l.spec.device())
                        .collect(java.util.stream.Collectors.joining(", "));
                for (Link link : links) {
                    if (link.running() && !link.metClients) {
                        link.ending.request(ErrorKind.CONNECT_FAILED, "no client came to " + link.spec.device()
                                + " within " + CLIENT_STRAGGLER_GRACE_MILLIS / 1000 + " s of " + served
                                + "'s client finishing");
                    }
                }
                return;
            }
            Thread.sleep(WATCH_SLICE_MILLIS);
        }
    }

    /** "eth2 is down (operstate) after the link carried 4.50 GB", "... before the link carried any traffic". */
    static String linkDownMessage(String device, String state, long bytes) {
        String carried = bytes == 0 ? "before the link carried any traffic"
                : String.format(Locale.ROOT, "after the link carried %.2f GB", bytes / 1e9);
        return device + " is " + state + " (operstate), " + carried;
    }

    /** The node's devices to check each link's against; null (no check) where rtnetlink cannot be read. */
    private LinkDevices nodeDevices() throws InterruptedException {
        try {
            return LinkDevices.ofThisNode(command.links().stream().map(LinkSpec::device).toList());
        } catch (IOException e) {
            RunLog.warn("cannot list this node's devices, so links run unchecked against them: " + e.getMessage());
            return null;
        }
    }

    public NodeReport run() throws InterruptedException {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < command.links().size(); i++) {
            links.add(new Link(i));
        }
        boolean server = !command.options().client();
        LinkDevices devices = nodeDevices();
        for (Link link : links) {
            link.start(devices);
            if (server) {
                link.ready.await();
            }
        }
        try (ReadinessListener readiness = server ? ReadinessListener.open(command) : null) {
            if (server) {
                endLinksLeftWithoutClient(links);
            }
        }
        List<LinkReport> reports = new ArrayList<>();
        for (Link link : links) {
            link.thread.join();
            reports.add(new LinkReport(link.spec, link.report, link.placement));
        }
        boolean succeeded = reports.stream().allMatch(r -> r.report().succeeded());
        return new NodeReport(NodeReport.SCHEMA_VERSION, runnerVersion, server ? Role.SERVER : Role.CLIENT, succeeded,
                reports);
    }
}
