package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.PreVerdict;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.judging.LinkJudge;
import dev.neper.fleet.operator.fleet.judging.RailStats;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The verdicts after the last round. Per suspect device, the good-partner tests decide (see
 * {@link DeviceFinding}); a rack whose every node (those with other faulty devices aside) fails on one rail is a rack RailFault,
 * which then convicts none of those nodes; a node with at least {@code nodeFaultShare} of its devices
 * faulty is a NodeFault, one with fewer a LinkFault; a round-1 failure whose ends both passed with good
 * partners (with most of them) is a Path when its retest fails and Flaky when it passes.
 */
public final class Attribution {
    private static final int RAIL_EXAMPLES = 3;

    private Attribution() {
    }

    /** The devices of a suspect node, classified; the planner reads the TIED ones for round 3. */
    public static Map<String, DeviceFinding> findings(String node, List<String> rails, TestIndex index,
                                                      RoundOneFindings roundOne, AttributionThresholds thresholds) {
        Map<String, DeviceFinding> findings = new LinkedHashMap<>();
        for (String rail : rails) {
            findings.put(rail, DeviceFinding.classify(node, rail, index, roundOne, thresholds));
        }
        return findings;
    }

    public static FleetVerdicts conclude(EligibleFleet fleet, Map<String, RailStats> stats, TestIndex index,
                                         RoundOneFindings roundOne, AttributionThresholds thresholds) {
        List<String> rails = roundOne.attributedRails(fleet.rails());
        Map<String, Map<String, DeviceFinding>> findings = new HashMap<>();
        for (TestNode node : fleet.nodes()) {
            findings.put(node.name(), findings(node.name(), rails, index, roundOne, thresholds));
        }
        List<RailFault> rackRails = rackRails(fleet, rails, findings, thresholds);
        Map<String, Set<String>> explainedByRack = new HashMap<>();
        rackRails.forEach(f -> explainedByRack.computeIfAbsent(f.rack(), r -> new HashSet<>()).add(f.rail()));

        List<NodeVerdict> nodes = new ArrayList<>();
        for (TestNode node : fleet.nodes()) {
            Set<String> explained = node.rack() == null ? Set.of() : explainedByRack.getOrDefault(node.rack(), Set.of());
            List<String> own = rails.stream().filter(r -> !explained.contains(r)).toList();
            boolean untested = fleet.rails().stream().allMatch(r -> index.of(node.name(), r).isEmpty());
            nodes.add(untested
                    ? new NodeVerdict(node.name(), node.rack(), Verdict.Inconclusive, List.of(),
                            "not tested: no other testable node to pair it with", List.of())
                    : nodeVerdict(node, own, findings.get(node.name()), thresholds));
        }
        for (PreVerdict pre : fleet.preVerdicts()) {
            nodes.add(new NodeVerdict(pre.node(), null, Verdict.valueOf(pre.kind().name()),
                    pre.device() == null ? List.of() : List.of(pre.device()), pre.reason(), List.of()));
        }
        nodes.sort(Comparator.comparing(NodeVerdict::node));

        Map<String, String> racks = fleet.nodes().stream().filter(n -> n.rack() != null)
                .collect(Collectors.toMap(TestNode::name, TestNode::rack));
        List<PathVerdict> paths = new ArrayList<>();
        for (JudgedLink failed : roundOne.failingLinks()) {
            if (explainedByRack.getOrDefault(racks.get(failed.server()), Set.of()).contains(failed.device())
                    || explainedByRack.getOrDefault(racks.get(failed.client()), Set.of()).contains(failed.device())) {
                continue;
            }
            DeviceFinding server = findings.get(failed.server()).get(failed.device());
            DeviceFinding client = findings.get(failed.client()).get(failed.device());
            if (passesElsewhere(server) && passesElsewhere(client)) {
                paths.add(pathVerdict(failed, server, client, index));
            }
        }
        List<RailFault> railFaults = new ArrayList<>(roundOne.fleetRails());
        railFaults.addAll(rackRails);
        return new FleetVerdicts(nodes, paths, railFaults, stats);
    }

    /**
     * Whether a round-1 failure is retested in round 3: both ends pass with most good partners, or are tied
     * and get their vote in the same round (a single noisy test must not hide a path or a flaky pair).
     */
    public static boolean needsRetest(JudgedLink failed, Map<String, DeviceFinding> server, Map<String, DeviceFinding> client) {
        Set<DeviceClass> passing = Set.of(DeviceClass.CLEAN, DeviceClass.FLAKY, DeviceClass.TIED);
        return passing.contains(server.get(failed.device()).kind()) && passing.contains(client.get(failed.device()).kind());
    }

    private static boolean passesElsewhere(DeviceFinding finding) {
        return finding.kind() == DeviceClass.CLEAN || finding.kind() == DeviceClass.FLAKY;
    }

    private static int nodeFaultMinimum(int rails, AttributionThresholds thresholds) {
        return Math.max(2, (int) Math.ceil(thresholds.nodeFaultShare() * rails - 1e-9));
    }

    private static List<String> faulty(Map<String, DeviceFinding> findings, List<String> rails) {
        return rails.stream().filter(r -> findings.get(r).kind() == DeviceClass.FAULTY).toList();
    }

    /**
     * Rack rail faults: on rail D, a rack's members are its nodes whose other devices are not faulty (a bad
     * node, or a node with a bad device elsewhere, says nothing about the rack's D switch).
     */
    private static List<RailFault> rackRails(EligibleFleet fleet, List<String> rails,
                                             Map<String, Map<String, DeviceFinding>> findings,
                                             AttributionThresholds thresholds) {
        Map<String, List<String>> racks = new TreeMap<>();
        fleet.nodes().stream().filter(n -> n.rack() != null)
                .forEach(n -> racks.computeIfAbsent(n.rack(), r -> new ArrayList<>()).add(n.name()));
        List<RailFault> faults = new ArrayList<>();
        racks.forEach((rack, inRack) -> {
            for (String rail : rails) {
                List<String> others = rails.stream().filter(r -> !r.equals(rail)).toList();
                List<String> nodes = inRack.stream()
                        .filter(n -> faulty(findings.get(n), others).isEmpty()).toList();
                if (nodes.size() < thresholds.minRackNodes()) {
                    continue;
                }
                List<DeviceFinding> failing = nodes.stream().map(n -> findings.get(n).get(rail))
                        .filter(f -> f.kind() == DeviceClass.FAULTY).toList();
                if (failing.size() >= thresholds.rackRailShare() * nodes.size()) {
                    faults.add(new RailFault(rail, rack, nodes.size(), rail + " fails with good partners on "
                            + failing.size() + " of the " + nodes.size() + " nodes of rack " + rack
                            + " whose other devices pass: the rack's " + rail + " switch side, not the nodes",
                            failing.stream().flatMap(f -> f.withGoodPartners().stream().filter(t -> !t.passed()))
                                    .limit(RAIL_EXAMPLES).toList()));
                }
            }
        });
        return faults;
    }

    private static NodeVerdict nodeVerdict(TestNode node, List<String> rails, Map<String, DeviceFinding> findings,
                                           AttributionThresholds thresholds) {
        List<DeviceVerdict> details = new ArrayList<>();
        for (String rail : rails) {
            DeviceVerdict verdict = deviceVerdict(findings.get(rail));
            if (verdict != null) {
                details.add(verdict);
            }
        }
        List<String> faulty = faulty(findings, rails);
        if (!faulty.isEmpty() && faulty.size() >= nodeFaultMinimum(rails.size(), thresholds)) {
            Set<String> partners = new java.util.TreeSet<>();
            faulty.forEach(r -> findings.get(r).withGoodPartners().forEach(t -> partners.add(t.peerOf(node.name()))));
            return new NodeVerdict(node.name(), node.rack(), Verdict.NodeFault, faulty, faulty.size() + " of "
                    + rails.size() + " devices fail with good partners " + String.join(", ", partners)
                    + " (at least " + thresholds.nodeFaultShare() + " of them): the host", details);
        }
        for (Verdict worst : List.of(Verdict.LinkFault, Verdict.Inconclusive, Verdict.Flaky)) {
            List<DeviceVerdict> named = details.stream().filter(d -> d.verdict() == worst).toList();
            if (!named.isEmpty()) {
                String reason = named.stream().map(DeviceVerdict::reason).collect(Collectors.joining("; "));
                if (worst == Verdict.LinkFault) {
                    reason += "; the node's other " + (rails.size() - named.size()) + " devices pass";
                }
                return new NodeVerdict(node.name(), node.rack(), worst, named.stream().map(DeviceVerdict::device).toList(),
                        reason, details);
            }
        }
        return NodeVerdict.healthy(node.name(), node.rack());
    }

    private static DeviceVerdict deviceVerdict(DeviceFinding finding) {
        int tests = finding.withGoodPartners().size();
        long fails = finding.goodPartnerFailures();
        String partners = finding.withGoodPartners().stream().map(t -> t.peerOf(finding.node()) + " "
                + (t.gbps() == null ? t.failure() : LinkJudge.format(t.gbps()))).collect(Collectors.joining(", "));
        return switch (finding.kind()) {
            case UNTESTED, CLEAN -> null;
            case FAULTY -> new DeviceVerdict(finding.rail(), Verdict.LinkFault, finding.rail() + " fails with "
                    + fails + " of " + tests + " good partners (" + partners + ")", finding.evidence());
            case TIED, FLAKY -> new DeviceVerdict(finding.rail(), Verdict.Flaky, finding.rail() + " fails with "
                    + fails + " of " + tests + " good partners (" + partners + ")", finding.evidence());
            case INCONCLUSIVE -> new DeviceVerdict(finding.rail(), Verdict.Inconclusive, finding.rail()
                    + " failed in round 1 but only " + tests + " good partner(s) could test it", finding.evidence());
        };
    }

    private static PathVerdict pathVerdict(JudgedLink failed, DeviceFinding server, DeviceFinding client, TestIndex index) {
        List<JudgedLink> retests = index.of(failed.server(), failed.device()).stream()
                .filter(t -> t.purpose() == Purpose.RETEST && t.involves(failed.client())).toList();
        List<JudgedLink> evidence = new ArrayList<>();
        evidence.add(failed);
        evidence.addAll(server.withGoodPartners());
        evidence.addAll(client.withGoodPartners());
        evidence.addAll(retests);
        String ends = "both ends pass with most good partners";
        if (retests.isEmpty()) {
            return new PathVerdict(failed.server(), failed.client(), failed.device(), Verdict.Inconclusive,
                    "failed in round 1 (" + failed.failure() + "), " + ends + ", not retested", evidence);
        }
        List<JudgedLink> passed = retests.stream().filter(JudgedLink::passed).toList();
        String first = "failed in round 1 (" + value(failed) + ": " + failed.failure() + "), " + ends;
        return passed.isEmpty()
                ? new PathVerdict(failed.server(), failed.client(), failed.device(), Verdict.Path, first
                        + ", failed again on " + retests.size() + " retest(s) (" + retests.stream()
                        .map(t -> value(t) + ": " + t.failure()).collect(Collectors.joining("; ")) + ")", evidence)
                : new PathVerdict(failed.server(), failed.client(), failed.device(), Verdict.Flaky, first
                        + ", passed on retest (" + value(passed.getFirst()) + ")", evidence);
    }

    private static String value(JudgedLink test) {
        return test.gbps() == null ? "no throughput" : LinkJudge.format(test.gbps()) + " Gbit/s";
    }
}
