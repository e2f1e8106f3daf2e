package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkPlacement;
import dev.neper.fleet.runner.contract.LinkReport;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;
import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.NodeReport;
import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ParsedCommand;
import dev.neper.fleet.runner.contract.UsageException;
import dev.neper.fleet.runner.topology.SysfsTree;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code neper-runner multi} (the {@code multi_neper} launcher): multi_neper.py's command line as a
 * front end of the multi-link driver. It builds the same {@link LinkSetCommand} that
 * {@code neper-runner links} takes, placed from the node's topology as {@code links} places its links
 * (never from the script's tables), with multi_neper's port scheme (link i: control port C+i, data
 * ports and source ports P+i*F, S+i*F, F data ports per link), and runs the links in this process.
 * Like the script it logs through Python's logging format on stderr at --log's level: the links it
 * runs on and, at DEBUG, each link's equivalent single-link command line with its environment, then
 * each link's key=value output; a receiver ends with one "[eth1] Throughput (Mb/s): X" line per link
 * on stdout.
 */
public final class MultiNeperMain {
    public static final String SUBCOMMAND = "multi";
    /** Overrides -m/--mode: runs a devmem command line in host memory, to rehearse it without devmem hardware. */
    public static final String MODE_OVERRIDE = "NEPER_MODE";
    private static final String SCRIPT = "multi_neper";

    private MultiNeperMain() {
    }

    public static int run(String program, String version, List<String> args, PrintStream out, PrintStream err,
                          Map<String, String> environment) {
        MultiNeperArgs a;
        PythonLog log;
        LinkPlan plan;
        try {
            a = MultiNeperArgs.parse(args);
            if (a.help()) {
                out.print(MultiNeperArgs.usage(SCRIPT));
                return 0;
            }
            log = new PythonLog(err, PythonLog.level(a.log()));
            plan = LinkPlan.of(command(a, memoryMode(a, environment, log)), SysfsTree.at(null));
            LinkSetMain.checkLinks(plan.command());
        } catch (UsageException e) {
            err.println(SCRIPT + ": error: " + e.getMessage());
            return 2;
        }
        if (!a.client()) {
            log.info("setting up flow-steering rules");
        }
        log.debug("running on " + PythonRepr.of(a.devices()));
        LinkSetCommand command = plan.command();
        for (int i = 0; i < command.links().size(); i++) {
            LinkPlacement placement = plan.placements().get(i);
            log.debug("[" + placement.device() + "] map: " + placement.describe());
            log.debug(PythonRepr.pair(commandLine(program, command, i, placement), linkEnvironment(environment)));
        }
        if (a.dryRun()) {
            return 0;
        }
        Map<String, List<String>> output = Collections.synchronizedMap(new LinkedHashMap<>());
        NodeReport report = LinkSetMain.runLinks(plan, version,
                (link, lines) -> output.computeIfAbsent(link.device(), d -> new ArrayList<>()).addAll(lines), err);
        if (report == null) {
            return 1;
        }
        log.debug("parsing subprocesses outputs");
        for (LinkReport link : report.links()) {
            log.debug(String.join("\n", link.report().errors().stream().map(e -> e.kind() + ": " + e.message()).toList()));
            output.getOrDefault(link.link().device(), List.of()).forEach(log::debug);
            log.debug("");
        }
        if (!a.client()) {
            for (LinkReport link : report.links()) {
                out.println("[" + link.link().device() + "] Throughput (Mb/s): "
                        + throughput(output.getOrDefault(link.link().device(), List.of())));
            }
        }
        return LinkSetMain.finish(command, report, err);
    }

    /** -m as the script reads it (lowercased: cuda, udmabuf, anything else host), unless NEPER_MODE overrides it. */
    private static MemoryMode memoryMode(MultiNeperArgs a, Map<String, String> environment, PythonLog log)
            throws UsageException {
        String mode = a.mode();
        String override = environment.get(MODE_OVERRIDE);
        if (override != null && !override.isBlank()) {
            log.warning("--mode " + mode + " overridden by " + MODE_OVERRIDE + "=" + override);
            mode = override.toLowerCase(Locale.ROOT);
        }
        return switch (mode) {
            case "cuda" -> MemoryMode.CUDA;
            case "udmabuf" -> MemoryMode.UDMABUF;
            case "default", "host" -> MemoryMode.HOST;
            default -> throw new UsageException("argument -m/--mode: '" + mode + "' is none of cuda, udmabuf, default");
        };
    }

    /** The links and the tcp_stream options the script would give each tcp_stream, as one link-set command. */
    static LinkSetCommand command(MultiNeperArgs a, MemoryMode mode) throws UsageException {
        List<String> devices = a.devices();
        List<String> peers = a.client() ? a.hosts() : a.srcIps();
        List<String> locals = a.client() ? a.srcIps() : a.hosts();
        if (a.hosts().size() < devices.size() || a.srcIps().size() < devices.size()) {
            throw new UsageException("--devices names " + devices.size() + " links, so --hosts and --src-ips need an"
                    + " address for each (got " + a.hosts().size() + " and " + a.srcIps().size() + ")");
        }
        List<LinkSpec> links = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            try {
                links.add(new LinkSpec(devices.get(i), locals.get(i), peers.get(i)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        List<String> stream = new ArrayList<>(List.of("-T", String.valueOf(a.threads()), "-F", String.valueOf(a.flows()),
                "--port", String.valueOf(a.port()), "--source-port", String.valueOf(a.sourcePort()),
                "--control-port", String.valueOf(a.controlPort()), "--buffer-size", a.bufferSize(), "-l", a.length(),
                "--num-ports", String.valueOf(a.flows())));
        if (mode.isDevmem()) {
            stream.addAll(List.of("--mode", mode.argument(), "--tcpd-phys-len", a.physLen()));
            if (!a.client()) {
                stream.addAll(List.of("--queue-start", String.valueOf(a.queueStart()), "--queue-num",
                        String.valueOf(a.queueNum())));
                if (a.tcpdRxCpy()) {
                    stream.add("--tcpd-rx-cpy");
                }
            }
        }
        if (a.tcpdValidate()) {
            stream.add("--tcpd-validate");
        }
        if (a.client()) {
            stream.add("-c");
        }
        ParsedCommand parsed = OptionParser.parse(stream);
        if (!(parsed instanceof ParsedCommand.Run(Options options))) {
            throw new UsageException("cannot build the links' tcp_stream options from " + stream);
        }
        return new LinkSetCommand(links, options, null);
    }

    /**
     * The single-link command line link i runs: what multi_neper's debug line shows for its
     * tcp_stream, with the link's CPUs from its placement as the script's taskset prefix.
     */
    static String commandLine(String program, LinkSetCommand command, int link, LinkPlacement placement) {
        String taskset = placement.cpus() != null ? "taskset --cpu-list " + placement.cpus() + " " : "";
        return taskset + program + " " + String.join(" ", command.linkOptions(link).toArgs());
    }

    /**
     * The environment a link's tcp_stream would get, as the script prints it: its own environment
     * (which the script lays over CUDA_VISIBLE_DEVICES from its GPU table; the runner needs none,
     * since a cuda link names its GPU by PCI address).
     */
    private static Map<String, String> linkEnvironment(Map<String, String> environment) {
        return new LinkedHashMap<>(environment);
    }

    /** The throughput= value of a link's output, as the script takes it; NA when there is none. */
    static String throughput(List<String> lines) {
        String value = "NA";
        for (String line : lines) {
            if (line.startsWith("throughput=")) {
                value = line.substring("throughput=".length());
            }
        }
        return value;
    }
}
