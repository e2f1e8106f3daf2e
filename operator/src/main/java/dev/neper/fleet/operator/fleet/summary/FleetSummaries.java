package dev.neper.fleet.operator.fleet.summary;

import dev.neper.fleet.operator.api.FleetJudging;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.RailEntry;
import dev.neper.fleet.operator.fleet.attribution.FleetVerdicts;
import dev.neper.fleet.operator.fleet.attribution.NodeVerdict;
import dev.neper.fleet.operator.fleet.attribution.PathVerdict;
import dev.neper.fleet.operator.fleet.attribution.RailFault;
import dev.neper.fleet.operator.fleet.attribution.Verdict;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.judging.JudgingThresholds;
import dev.neper.fleet.operator.fleet.judging.LinkJudge;
import dev.neper.fleet.operator.fleet.judging.RailStats;
import dev.neper.fleet.operator.fleet.planning.FleetReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns a report into its compact status form. */
public final class FleetSummaries {
    /** At most this many evidence lines per listed node: the rest are in the child tests' results. */
    public static final int MAX_EVIDENCE_LINES = 6;

    private FleetSummaries() {
    }

    public static FleetSummary of(FleetReport report) {
        FleetVerdicts verdicts = report.verdicts();
        Map<String, Integer> counts = new TreeMap<>();
        List<NodeEntry> faulty = new ArrayList<>();
        for (NodeVerdict node : verdicts.nodes()) {
            counts.merge(node.verdict().name(), 1, Integer::sum);
            if (node.verdict() != Verdict.Healthy) {
                faulty.add(new NodeEntry(node.node(), node.verdict().name(), node.devices(), node.reason(),
                        evidence(node.node(), node.evidence(), Set.copyOf(node.devices()))));
            }
        }
        List<PathEntry> paths = new ArrayList<>();
        for (PathVerdict path : verdicts.paths()) {
            paths.add(new PathEntry(List.of(path.server(), path.client()), path.device(), path.verdict().name(),
                    path.reason(), path.evidence().stream().map(FleetSummaries::line).limit(MAX_EVIDENCE_LINES).toList()));
        }
        List<RailEntry> rails = new ArrayList<>();
        verdicts.railStats().values().stream().sorted(java.util.Comparator.comparing(RailStats::rail,
                dev.neper.fleet.operator.fleet.eligibility.DeviceSelection.NATURAL_ORDER)).forEach(stats -> {
            List<String> faults = verdicts.railFaults().stream().filter(f -> f.rail().equals(stats.rail()))
                    .map(FleetSummaries::fault).toList();
            rails.add(new RailEntry(stats.rail(), stats.samples(), round(stats.min()), round(stats.median()),
                    round(stats.mad()), faults));
        });
        int flaky = (int) verdicts.paths().stream().filter(p -> p.verdict() == Verdict.Flaky).count();
        int bad = (int) verdicts.paths().stream().filter(p -> p.verdict() == Verdict.Path).count();
        return new FleetSummary(verdicts.nodes().size(), counts, bad, flaky, verdicts.railFaults().size(), report.rounds(),
                report.pairTests(), report.settings().pairing().seed(), report.settings().pairing().strategy().name(),
                report.settings().pairing().ringTimestep(), inForce(report.settings().judging()), faulty, paths, rails);
    }

    /** The thresholds as the status shows them; a bound turned off (negative infinity) shows as absent. */
    private static FleetJudging inForce(JudgingThresholds t) {
        return new FleetJudging(t.minLinkGbps(), t.minFractionOfMedian(),
                Double.isFinite(t.minRobustZ()) ? t.minRobustZ() : null, t.minMadFraction(), t.minSamples());
    }

    /** One line per tested pair, only the devices the verdict names (every device when it names none). */
    private static List<String> evidence(String node, List<JudgedLink> tests, Set<String> devices) {
        Map<String, List<JudgedLink>> byPair = new LinkedHashMap<>();
        for (JudgedLink t : tests) {
            if (devices.isEmpty() || devices.contains(t.device())) {
                byPair.computeIfAbsent("r" + t.round() + " " + t.peerOf(node), k -> new ArrayList<>()).add(t);
            }
        }
        List<String> lines = new ArrayList<>();
        byPair.forEach((pair, links) -> lines.add(pair + ": " + String.join(", ", links.stream().map(FleetSummaries::link).toList())));
        if (lines.size() > MAX_EVIDENCE_LINES) {
            int more = lines.size() - (MAX_EVIDENCE_LINES - 1);
            List<String> shown = new ArrayList<>(lines.subList(0, MAX_EVIDENCE_LINES - 1));
            shown.add("+" + more + " more tested pairs");
            return shown;
        }
        return lines;
    }

    private static String line(JudgedLink t) {
        return "r" + t.round() + " " + t.server() + "->" + t.client() + ": " + link(t);
    }

    private static String link(JudgedLink t) {
        String value = t.gbps() == null ? "-" : LinkJudge.format(t.gbps());
        return t.device() + " " + value + (t.passed() ? " ok" : " " + t.failure().brief());
    }

    private static String fault(RailFault fault) {
        return (fault.rack() == null ? "fleet-wide" : "rack " + fault.rack()) + ": " + fault.switchSide() + ": " + fault.reason();
    }

    private static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
    }
}
