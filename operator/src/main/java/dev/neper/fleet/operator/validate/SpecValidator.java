package dev.neper.fleet.operator.validate;

import dev.neper.fleet.operator.api.Durations;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PciAddresses;
import dev.neper.fleet.operator.api.Ports;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.pods.RunnerCommand;
import dev.neper.fleet.runner.contract.OptionChecks;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.UsageException;
import dev.neper.fleet.runner.contract.LinkSetCommand;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator's own spec checks, run before anything is scheduled. They repeat the schema's rules
 * (the operator cannot count on them: an API server older than CEL validation, or a test server,
 * skips them) and add what a schema cannot express: addresses that merely look like addresses,
 * address families that differ on a link, port ranges that depend on a node's link count, and
 * neper's own option checks on the command lines the runners will get, with the runner's ceiling on
 * what one runner may take (a 1 GiB buffer on 1024 threads is memory no node has to spare).
 */
public final class SpecValidator {
    /** The longest name whose pods' labels and names stay within Kubernetes' limits. */
    public static final int MAX_NAME_LENGTH = 63;

    private SpecValidator() {
    }

    /** Every problem found, each naming the field; empty when the spec can run. */
    public static List<String> validate(NeperTest test) {
        List<String> problems = new ArrayList<>();
        String name = test.getMetadata().getName();
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            problems.add("metadata.name: at most " + MAX_NAME_LENGTH + " characters (it becomes a label value on"
                    + " the runner pods), got " + name.length());
        }
        if (test.specProblem().isPresent()) {
            problems.add(test.specProblem().get());
            return problems;
        }
        NeperTestSpec spec = test.getSpec();
        if (spec == null) {
            problems.add("spec: missing");
            return problems;
        }
        if (spec.mode() == null) {
            problems.add("spec.mode: missing; one of host, udmabuf, cuda");
            return problems;
        }
        checkTiming(spec, problems);
        checkModeOptions(spec, problems);
        List<Pair> pairs = spec.pairList();
        if (pairs.isEmpty()) {
            problems.add("spec.pairs: at least one pair is needed");
        }
        if (pairs.size() > NeperTestSpec.MAX_PAIRS) {
            problems.add("spec.pairs: at most " + NeperTestSpec.MAX_PAIRS + " pairs, got " + pairs.size());
        }
        checkUniqueNodes(pairs, p -> p.server() == null ? null : p.server().node(), "server", problems);
        checkUniqueNodes(pairs, p -> p.client() == null ? null : p.client().node(), "client", problems);
        for (int i = 0; i < pairs.size(); i++) {
            checkPair(spec, pairs.get(i), "spec.pairs[" + i + "]", problems);
        }
        return problems;
    }

    private static void checkTiming(NeperTestSpec spec, List<String> problems) {
        try {
            TestTiming timing = TestTiming.of(spec);
            if (timing.duration().isZero() || timing.duration().toSeconds() > 3600) {
                problems.add("spec.duration: between 1s and 1h, got " + spec.durationText());
            }
            if (timing.startDeadline().isZero() || timing.startDeadline().toHours() > 24) {
                problems.add("spec.deadlines.start: between 1s and 24h");
            }
            if (timing.finishDeadline().toSeconds() > 26 * 3600) {
                problems.add("spec.deadlines.finish: at most 26h");
            }
            if (timing.finishDeadline().compareTo(timing.duration()) <= 0) {
                problems.add("spec.deadlines.finish: " + Durations.format(timing.finishDeadline())
                        + " leaves no time beyond the test's duration " + spec.durationText());
            }
        } catch (IllegalArgumentException e) {
            problems.add("spec.duration or spec.deadlines: " + e.getMessage());
        }
    }

    private static void checkModeOptions(NeperTestSpec spec, List<String> problems) {
        if (spec.threadsPerLink() > spec.flowsPerLink()) {
            problems.add("spec.threads: " + spec.threadsPerLink() + " exceeds flows " + spec.flowsPerLink()
                    + "; each thread drives at least one flow of a link");
        }
        if (spec.mode() != Mode.CUDA && spec.runner() != null && spec.runner().gpusPerNode() != null) {
            problems.add("spec.runner.gpusPerNode: applies to mode cuda only");
        }
        Double min = spec.thresholdsOrDefault().minLinkGbps();
        if (min != null && (min < 0 || min.isNaN())) {
            problems.add("spec.thresholds.minLinkGbps: must not be negative, got " + min);
        }
        if (spec.mode().isDevmem()) {
            return;
        }
        List<String> devmemOnly = new ArrayList<>();
        if (spec.copyReceived()) {
            devmemOnly.add("rxCopy");
        }
        if (spec.physLen() != null) {
            devmemOnly.add("physLen");
        }
        if (spec.queueStart() != null) {
            devmemOnly.add("queueStart");
        }
        if (spec.queueNum() != null) {
            devmemOnly.add("queueNum");
        }
        boolean pci = spec.pairList().stream().flatMap(p -> p.linkList().stream())
                .anyMatch(l -> l.server() != null || l.client() != null);
        if (pci) {
            devmemOnly.add("links[].server/client PCI addresses");
        }
        if (!devmemOnly.isEmpty()) {
            problems.add("spec: " + String.join(", ", devmemOnly) + " need mode udmabuf or cuda, not host");
        }
    }

    private static void checkUniqueNodes(List<Pair> pairs, Function<Pair, String> node, String role,
                                         List<String> problems) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String name = node.apply(pairs.get(i));
            if (name == null) {
                continue;
            }
            Integer earlier = first.putIfAbsent(name, i);
            if (earlier != null) {
                problems.add("spec.pairs[" + i + "]." + role + ".node: " + name + " is already the " + role
                        + " of pairs[" + earlier + "]; a node is the " + role + " of one pair at most");
            }
        }
    }

    private static void checkPair(NeperTestSpec spec, Pair pair, String path, List<String> problems) {
        if (pair.server() == null || pair.server().node() == null || pair.server().node().isBlank()) {
            problems.add(path + ".server.node: missing");
        }
        if (pair.client() == null || pair.client().node() == null || pair.client().node().isBlank()) {
            problems.add(path + ".client.node: missing");
        }
        if (pair.server() != null && pair.client() != null && pair.server().node() != null
                && pair.server().node().equals(pair.client().node())) {
            problems.add(path + ": server and client are the same node " + pair.server().node());
        }
        List<Link> links = pair.linkList();
        if (links.isEmpty()) {
            problems.add(path + ".links: at least one link is needed");
            return;
        }
        if (links.size() > Pair.MAX_LINKS) {
            problems.add(path + ".links: at most " + Pair.MAX_LINKS + " links, got " + links.size());
        }
        Set<String> devices = new HashSet<>();
        Set<String> serverIps = new HashSet<>();
        Set<String> clientIps = new HashSet<>();
        boolean linksUsable = true;
        for (int i = 0; i < links.size(); i++) {
            Link link = links.get(i);
            String linkPath = path + ".links[" + i + "]";
            if (link.device() == null || !link.device().matches(Link.DEVICE_PATTERN) || link.device().length() > 15) {
                problems.add(linkPath + ".device: '" + link.device() + "' is not an interface name (1-15 of"
                        + " A-Z a-z 0-9 _ . @ -)");
                linksUsable = false;
            } else if (!devices.add(link.device())) {
                problems.add(linkPath + ".device: " + link.device() + " appears twice in the pair");
            }
            checkPci(link.server(), linkPath + ".server", problems);
            checkPci(link.client(), linkPath + ".client", problems);
            InetAddress server = address(link.serverIP(), linkPath + ".serverIP", problems);
            InetAddress client = address(link.clientIP(), linkPath + ".clientIP", problems);
            if (server == null || client == null) {
                linksUsable = false;
                continue;
            }
            if (server instanceof Inet4Address != client instanceof Inet4Address) {
                problems.add(linkPath + ": serverIP " + link.serverIP() + " and clientIP " + link.clientIP()
                        + " are of different address families");
            }
            if (server.equals(client)) {
                problems.add(linkPath + ": serverIP and clientIP are the same address " + link.serverIP());
            }
            if (!serverIps.add(server.getHostAddress())) {
                problems.add(linkPath + ".serverIP: " + link.serverIP() + " appears twice in the pair");
            }
            if (!clientIps.add(client.getHostAddress())) {
                problems.add(linkPath + ".clientIP: " + link.clientIP() + " appears twice in the pair");
            }
        }
        checkPorts(spec.portsOrDefault(), spec.dataPortsPerLink(), links.size(), path, problems);
        if (linksUsable) {
            checkCommandLines(spec, links, path, problems);
        }
    }

    /** A literal address, never a host name: InetAddress.ofLiteral does no name lookup. */
    private static InetAddress address(String text, String path, List<String> problems) {
        if (text == null || text.isBlank()) {
            problems.add(path + ": missing");
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": '" + text + "' is not an IPv4 or IPv6 address");
            return null;
        }
    }

    private static void checkPci(PciAddresses pci, String path, List<String> problems) {
        if (pci == null) {
            return;
        }
        for (String[] address : new String[][] {{"nic", pci.nic()}, {"gpu", pci.gpu()}}) {
            if (address[1] != null && !address[1].matches(PciAddresses.PCI_PATTERN)) {
                problems.add(path + "." + address[0] + ": '" + address[1] + "' is not a PCI address such as 0000:06:00.0");
            }
        }
    }

    private static void checkPorts(Ports ports, int perLink, int linkCount, String path, List<String> problems) {
        if (ports.firstControl() < Ports.MIN_PORT || (ports.data() != null && ports.data() < Ports.MIN_PORT)) {
            problems.add(path + ": ports below " + Ports.MIN_PORT + " are reserved for privileged services");
            return;
        }
        long controlFirst = ports.firstControl();
        long controlLast = controlFirst + linkCount - 1;
        long dataFirst = ports.firstData(linkCount);
        long dataLast = dataFirst + (long) linkCount * perLink - 1;
        if (controlLast > 65535 || dataLast > 65535) {
            problems.add(path + ": with " + linkCount + " links the ports run past 65535 (control " + controlFirst
                    + "-" + controlLast + ", data " + dataFirst + "-" + dataLast + ")");
        } else if (controlFirst <= dataLast && dataFirst <= controlLast) {
            problems.add(path + ": with " + linkCount + " links the control ports " + controlFirst + "-" + controlLast
                    + " overlap the data ports " + dataFirst + "-" + dataLast + "; set spec.ports.data outside them");
        }
    }

    /**
     * The runner's own checks, with its messages, on each link's options of both runners' command
     * lines as the runner parses them (directions derived from the role): what {@code neper-runner
     * links} checks before it runs anything.
     */
    private static void checkCommandLines(NeperTestSpec spec, List<Link> links, String path, List<String> problems) {
        for (Role role : Role.values()) {
            LinkSetCommand command;
            try {
                LinkSetCommand built = RunnerCommand.of(spec, links, role,
                        RunnerCommand.suicideSeconds(TestTiming.of(spec), role));
                command = new LinkSetCommand(built.links(), built.options().withDerivedDirections(),
                        built.terminationSummary());
            } catch (IllegalArgumentException e) {
                problems.add(path + ": " + e.getMessage());
                return;
            }
            List<Options> linkOptions = new ArrayList<>();
            for (int i = 0; i < links.size(); i++) {
                try {
                    OptionChecks.check(command.linkOptions(i));
                } catch (UsageException e) {
                    problems.add(path + ".links[" + i + "]: the " + role.label() + " runner would refuse it: "
                            + e.getMessage());
                    return;
                }
                linkOptions.add(command.linkOptions(i));
            }
            try {
                OptionChecks.checkLinkSet(linkOptions);
            } catch (UsageException e) {
                problems.add(path + ".links: the " + role.label() + " runner would refuse them: " + e.getMessage());
                return;
            }
        }
    }
}
