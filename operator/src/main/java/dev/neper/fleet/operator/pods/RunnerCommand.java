package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.Durations;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.PciAddresses;
import dev.neper.fleet.operator.api.Ports;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;

import java.util.List;
import java.util.function.Function;

/**
 * The runner command line of one side of a pair, built with the runner's own types: one
 * {@code neper-runner links} process per node, one --link per spec link in spec order, so link i
 * of the server and link i of the client meet on control port control+i.
 */
public final class RunnerCommand {
    public static final String PROGRAM = "neper-runner";
    /**
     * Where the runner writes its summary and the kubelet reads the termination message. Not the
     * default /dev/termination-log: devmem pods mount the host's /dev over /dev, and the kubelet's
     * file mount there would land in the host's /dev.
     */
    public static final String TERMINATION_MESSAGE_PATH = "/tmp/neper-termination-log";

    private RunnerCommand() {
    }

    public static LinkSetCommand of(NeperTestSpec spec, List<Link> links, Role role, int suicideSeconds) {
        return new LinkSetCommand(linkSpecs(links, role), options(spec, links.size(), role, suicideSeconds),
                TERMINATION_MESSAGE_PATH);
    }

    /** The tcp_stream options every link of this side runs with. */
    public static Options options(NeperTestSpec spec, int linkCount, Role role, int suicideSeconds) {
        Ports ports = spec.portsOrDefault();
        Options options = Options.defaults()
                .with(OptionSpec.MODE, spec.mode().memoryMode())
                .with(OptionSpec.NUM_FLOWS, spec.flowsPerLink())
                .with(OptionSpec.NUM_THREADS, spec.threadsPerLink())
                .with(OptionSpec.TEST_LENGTH, (int) Durations.parse(spec.durationText()).toSeconds())
                .with(OptionSpec.CONTROL_PORT, ports.firstControl())
                .with(OptionSpec.PORT, ports.firstData(linkCount))
                .with(OptionSpec.NUM_PORTS, spec.dataPortsPerLink())
                .with(OptionSpec.SUICIDE_LENGTH, suicideSeconds)
                .with(OptionSpec.LOGTOSTDERR, true);
        if (role == Role.CLIENT) {
            options = options.with(OptionSpec.CLIENT, true)
                    .with(OptionSpec.CONNECT_RETRIES, TestTiming.CLIENT_CONNECT_ATTEMPTS);
        }
        if (spec.bufferSize() != null) {
            options = options.with(OptionSpec.BUFFER_SIZE, spec.bufferSize());
        }
        if (spec.validatePayload()) {
            options = options.with(OptionSpec.TCPD_VALIDATE, true);
        }
        if (spec.copyReceived()) {
            options = options.with(OptionSpec.TCPD_RX_CPY, true);
        }
        if (spec.physLen() != null) {
            options = options.with(OptionSpec.TCPD_PHYS_LEN, spec.physLen());
        }
        if (spec.queueStart() != null) {
            options = options.with(OptionSpec.QUEUE_START, spec.queueStart());
        }
        if (spec.queueNum() != null) {
            options = options.with(OptionSpec.QUEUE_NUM, spec.queueNum());
        }
        return options;
    }

    /** This side's view of the links: its own address first, the peer's second, its own PCI addresses. */
    public static List<LinkSpec> linkSpecs(List<Link> links, Role role) {
        Function<Link, PciAddresses> pci = role == Role.SERVER ? Link::server : Link::client;
        return links.stream().map(link -> {
            PciAddresses addresses = pci.apply(link);
            String nic = addresses == null ? null : addresses.nic();
            String gpu = addresses == null ? null : addresses.gpu();
            return role == Role.SERVER
                    ? new LinkSpec(link.device(), link.serverIP(), link.clientIP(), nic, gpu)
                    : new LinkSpec(link.device(), link.clientIP(), link.serverIP(), nic, gpu);
        }).toList();
    }

    /** The runner's --suicide-length on this side of a pair. */
    public static int suicideSeconds(TestTiming timing, Role role) {
        return role == Role.SERVER ? timing.serverSuicideSeconds() : timing.clientSuicideSeconds();
    }
}
