package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkReport;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;
import dev.neper.fleet.runner.contract.NodeLimits;
import dev.neper.fleet.runner.contract.NodeReport;
import dev.neper.fleet.runner.contract.NodeSummaries;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.OptionChecks;
import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ResourceNeeds;
import dev.neper.fleet.runner.contract.ParsedCommand;
import dev.neper.fleet.runner.contract.UsageException;
import dev.neper.fleet.runner.lifecycle.ProcessSetup;
import dev.neper.fleet.runner.lifecycle.Termination;
import dev.neper.fleet.runner.output.OutputFiles;
import dev.neper.fleet.runner.contract.ReceiverReport;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.contract.Role;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.topology.SysfsTree;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code neper-runner links}: the multi-link driver's command line. Takes --link (repeatable) and
 * --termination-summary, passes every other argument to tcp_stream's parser, and with --dry-run
 * prints each link's equivalent single-link command instead of running.
 */
public final class LinkSetMain {
    static final String SYSFS_ROOT_FLAG = "--sysfs-root";

    private LinkSetMain() {
    }

    public static int run(String program, String version, List<String> args, PrintStream out, PrintStream err) {
        String summaryPath = null;
        Path sysfsRoot = null;
        Role role = asksForClient(args) ? Role.CLIENT : Role.SERVER;
        LinkSetCommand command;
        LinkPlan plan;
        try {
            List<LinkSpec> links = new ArrayList<>();
            List<String> streamArgs = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String value = valueOf(arg, args, i, LinkSetCommand.LINK_FLAG);
                if (value != null) {
                    i += arg.equals(LinkSetCommand.LINK_FLAG) ? 1 : 0;
                    links.add(parseLink(value));
                    continue;
                }
                value = valueOf(arg, args, i, LinkSetCommand.TERMINATION_SUMMARY_FLAG);
                if (value != null) {
                    i += arg.equals(LinkSetCommand.TERMINATION_SUMMARY_FLAG) ? 1 : 0;
                    summaryPath = value;
                    continue;
                }
                value = valueOf(arg, args, i, SYSFS_ROOT_FLAG);
                if (value != null) {
                    i += arg.equals(SYSFS_ROOT_FLAG) ? 1 : 0;
                    sysfsRoot = Path.of(value);
                    if (!Files.isDirectory(sysfsRoot)) {
                        throw new UsageException(SYSFS_ROOT_FLAG + " " + value + " is not a directory");
                    }
                    continue;
                }
                streamArgs.add(arg);
            }
            ParsedCommand parsed = OptionParser.parse(streamArgs);
            if (!(parsed instanceof ParsedCommand.Run(var options))) {
                out.print(usage(program));
                return 0;
            }
            role = options.client() ? Role.CLIENT : Role.SERVER;
            if (links.isEmpty()) {
                throw new UsageException("links needs at least one --link DEVICE,LOCAL_IP,PEER_IP");
            }
            if (links.stream().map(LinkSpec::device).distinct().count() != links.size()) {
                throw new UsageException("each --link needs its own device; got " + links.stream().map(LinkSpec::device).toList());
            }
            plan = LinkPlan.of(new LinkSetCommand(links, options, summaryPath), SysfsTree.at(sysfsRoot));
            command = plan.command();
            checkLinks(command);
        } catch (UsageException e) {
            err.println(program + " links: " + e.getMessage());
            writeSummary(summaryPath, NodeSummaries.failed(role, e.getMessage()), err);
            return 1;
        }
        if (command.options().dryRun()) {
            for (int i = 0; i < command.links().size(); i++) {
                String device = command.links().get(i).device();
                out.println("[" + device + "] map: " + plan.placements().get(i).describe());
                out.println("[" + device + "] " + program + " "
                        + String.join(" ", command.linkOptions(i).with(OptionSpec.DRY_RUN, false).toArgs()));
            }
            return 0;
        }
        return execute(plan, version, out, err);
    }

    private static int execute(LinkPlan plan, String version, PrintStream out, PrintStream err) {
        LinkSetCommand command = plan.command();
        NodeReport report = runLinks(plan, version, LinkSetRun.prefixed(out), err);
        if (report == null) {
            return 1;
        }
        for (LinkReport link : report.links()) {
            String device = link.link().device();
            ReceiverReport receiver = link.report().receiver();
            if (receiver != null && receiver.throughputUnits() != null) {
                out.println(String.format(Locale.ROOT, "[%s] Throughput (%s): %.2f", device, receiver.throughputUnits(),
                        receiver.throughput()));
            }
            for (RunError error : link.report().errors()) {
                err.println("[" + device + "] " + error.kind() + ": " + error.message());
            }
        }
        return finish(command, report, err);
    }

    /**
     * Checks what applies to a link set (options that each link sets for itself are refused, nic= and
     * gpu= need a devmem mode), each link's own tcp_stream options (its ports, addresses and devmem
     * flags) as a single run would, then what all links take together against this node's limits.
     */
    static void checkLinks(LinkSetCommand command) throws UsageException {
        Options given = command.options();
        for (OptionSpec perLink : new OptionSpec[] {OptionSpec.HOST, OptionSpec.LOCAL_HOSTS, OptionSpec.BIND_DEVICE}) {
            if (given.isSet(perLink)) {
                throw new UsageException("--" + perLink.longName() + " does not apply to links: each --link gives its"
                        + " device and its local and peer addresses");
            }
        }
        if (!given.mode().isDevmem()) {
            for (LinkSpec link : command.links()) {
                if (link.nicPci() != null || link.gpuPci() != null) {
                    throw new UsageException("link " + link.device() + ": nic= and gpu= name a devmem link's NIC and"
                            + " GPU; --mode host uses neither (use --mode udmabuf or cuda, or leave them out)");
                }
            }
        }
        List<Options> linkOptions = new ArrayList<>();
        for (int i = 0; i < command.links().size(); i++) {
            try {
                OptionChecks.check(command.linkOptions(i));
            } catch (UsageException e) {
                throw new UsageException("link " + command.links().get(i).device() + ": " + e.getMessage());
            }
            linkOptions.add(command.linkOptions(i));
        }
        OptionChecks.checkLinkSet(linkOptions);
        OptionChecks.checkNodeRoom(ResourceNeeds.ofLinks(linkOptions), NodeLimits.ofThisNode());
        OutputFiles.requireWritable("--report-json", given.reportJson());
        OutputFiles.requireWritable(LinkSetCommand.TERMINATION_SUMMARY_FLAG, command.terminationSummary());
    }

    /** Runs every link of the planned command in this process; null when interrupted. */
    static NodeReport runLinks(LinkPlan plan, String version, LinkSetRun.LinkOutput output, PrintStream err) {
        Termination termination = ProcessSetup.begin("neper-runner", plan.command().options());
        try {
            return new LinkSetRun(plan.command(), plan.placements(), termination, output, version).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return null;
        } finally {
            ProcessSetup.end();
        }
    }

    /** Writes the termination summary and the JSON report the command asks for; the exit code. */
    static int finish(LinkSetCommand command, NodeReport report, PrintStream err) {
        boolean written = writeSummary(command.terminationSummary(), NodeSummaries.of(report), err);
        if (command.options().reportJson() != null) {
            try {
                ReportJson.write(report, command.options().reportJson());
            } catch (IOException e) {
                err.println("cannot write the report to " + command.options().reportJson() + ": " + e.getMessage());
                written = false;
            }
        }
        return report.succeeded() && written ? 0 : 1;
    }

    private static boolean writeSummary(String path, NodeSummary summary, PrintStream err) {
        if (path == null) {
            return true;
        }
        try {
            Files.writeString(Path.of(path), ReportJson.toCompactJson(summary));
            return true;
        } catch (IOException e) {
            err.println("cannot write the termination summary to " + path + ": " + e.getMessage());
            return false;
        }
    }

    /** The value of {@code flag} at args[i] in either --flag=value or --flag value form; null if args[i] is another flag. */
    private static String valueOf(String arg, List<String> args, int i, String flag) throws UsageException {
        if (arg.startsWith(flag + "=")) {
            return arg.substring(flag.length() + 1);
        }
        if (arg.equals(flag)) {
            if (i + 1 >= args.size()) {
                throw new UsageException("option '" + flag + "' requires an argument");
            }
            return args.get(i + 1);
        }
        return null;
    }

    /**
     * The role, read before parsing (which may fail) so that even a refused command line's summary
     * names it: --client, or c among a short-flag bundle's flags (-c, -rwc, -cT2).
     */
    private static boolean asksForClient(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--client")) {
                return true;
            }
            if (arg.startsWith("-") && !arg.startsWith("--")) {
                for (int i = 1; i < arg.length(); i++) {
                    char c = arg.charAt(i);
                    if (c == 'c') {
                        return true;
                    }
                    if (OptionSpec.byShortName(c).map(OptionSpec::takesArgument).orElse(true)) {
                        break;
                    }
                }
            }
        }
        return false;
    }

    private static LinkSpec parseLink(String value) throws UsageException {
        try {
            return LinkSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String usage(String program) {
        return "usage: " + program + " links --link DEVICE,LOCAL_IP,PEER_IP[,nic=PCI][,gpu=PCI][,cpus=LIST] [--link ...]\n"
                + "       [--termination-summary FILE] [--sysfs-root DIR] [tcp_stream options]\n\n"
                + "Runs one stream engine per link (link i: control port C+i, data ports P+i*num_ports..).\n"
                + "The tcp_stream options (" + program + " --help) apply to every link. A link without nic=,\n"
                + "gpu= or cpus= gets its device's NIC, its nearest free GPU (--mode cuda) and a block of the\n"
                + "CPUs local to its NIC, from sysfs (--sysfs-root: a copy of /sys). With --dry-run, prints\n"
                + "each link's map (device, NIC, GPU, CPUs, and why) and single-link command line instead.\n";
    }
}
