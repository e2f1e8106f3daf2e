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
import java.util.concurrent.CountDownLatch;

/**
 * Runs one stream engine per link in this process, as multi_neper.py runs one tcp_stream per NIC.
 * A server brings its links up in order, each only once the previous one listens on all its ports,
 * so a probe of the last link's control port tells that every link is ready. Links fail
 * independently: one broken link does not stop the others.
 */
public final class LinkSetRun {
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private final LinkSetCommand command;
    private final List<LinkPlacement> placements;
    private final Termination termination;
    private final PrintStream out;
    private final String runnerVersion;

    /** @param placements link i's NIC, GPU and CPUs, already in {@code command}'s links but for the CPUs */
    public LinkSetRun(LinkSetCommand command, List<LinkPlacement> placements, Termination termination, PrintStream out,
                      String runnerVersion) {
        this.command = command;
        this.placements = List.copyOf(placements);
        this.termination = termination;
        this.out = out;
        this.runnerVersion = runnerVersion;
    }

    private final class Link {
        final int index;
        final LinkSpec spec;
        final LinkPlacement placement;
        final Options options;
        final CountDownLatch ready = new CountDownLatch(1);
        volatile RunReport report;
        Thread thread;

        Link(int index) {
            this.index = index;
            this.spec = command.links().get(index);
            this.placement = placements.get(index);
            this.options = command.linkOptions(index);
        }

        void start() {
            thread = Thread.ofPlatform().name(spec.device()).start(() -> {
                RunLog.info(spec.device() + ": " + placement.describe());
                try {
                    runOnTheLinksCpus();
                } catch (SysCallException e) {
                    report = RunReport.setupFailed(options, runnerVersion, new RunError(ErrorKind.INTERNAL,
                            spec.device() + ": cannot run on CPUs " + placement.cpus() + ": " + e.getMessage()));
                    ready.countDown();
                    return;
                }
                try (FlowIoFactory memory = DataPath.open(options)) {
                    RunReport run = new StreamRun(options, termination, memory, spec.device(), this::print,
                            ready::countDown, runnerVersion).run();
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

        /** A failed link whose device is down failed because of that: say so first. */
        RunReport explainedByTheDevice(RunReport run) {
            return DeviceState.notWorking(SYS_CLASS_NET, spec.device())
                    .map(state -> run.withFirstError(new RunError(ErrorKind.LINK_DOWN, spec.device() + " is " + state
                            + " (operstate), so the link carried no traffic")))
                    .orElse(run);
        }

        void print(List<String> lines) {
            synchronized (out) {
                lines.forEach(line -> out.println("[" + spec.device() + "] " + line));
                out.flush();
            }
        }
    }

    public NodeReport run() throws InterruptedException {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < command.links().size(); i++) {
            links.add(new Link(i));
        }
        boolean server = !command.options().client();
        for (Link link : links) {
            link.start();
            if (server) {
                link.ready.await();
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
