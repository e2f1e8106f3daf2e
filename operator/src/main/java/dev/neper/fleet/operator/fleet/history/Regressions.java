package dev.neper.fleet.operator.fleet.history;

import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NodeEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The regression check: a node's device whose best Gbit/s this run fell by more than a fraction below
 * that node-device's own median over the earlier kept runs is Regressed, even above the floor. A link's
 * throughput belongs to both its ends (one test cannot tell which end slowed), so a device is judged by
 * its best link of the run: a slow partner alone does not make it regress when it also ran with another.
 * A node already named by the run (a fault, Flaky, Unqualified...) keeps its verdict.
 */
public final class Regressions {
    public static final String VERDICT = "Regressed";

    private Regressions() {
    }

    /**
     * @param current  this run's best Gbit/s per node and device
     * @param earlier  each earlier kept run's best Gbit/s per node and device
     * @param fraction how far below its median a device may fall (0: the check is off)
     * @param minRuns  earlier runs a device must have been measured in
     */
    public static List<NodeEntry> find(Map<String, Map<String, Double>> current, List<Map<String, Map<String, Double>>> earlier,
                                       double fraction, int minRuns) {
        List<NodeEntry> regressed = new ArrayList<>();
        if (fraction <= 0) {
            return regressed;
        }
        for (var node : new TreeMap<>(current).entrySet()) {
            List<String> devices = new ArrayList<>();
            List<String> evidence = new ArrayList<>();
            for (var device : new TreeMap<>(node.getValue()).entrySet()) {
                List<Double> past = new ArrayList<>();
                for (Map<String, Map<String, Double>> run : earlier) {
                    Double gbps = run.getOrDefault(node.getKey(), Map.of()).get(device.getKey());
                    if (gbps != null) {
                        past.add(gbps);
                    }
                }
                if (past.size() < minRuns) {
                    continue;
                }
                double median = median(past);
                double now = device.getValue();
                if (now < (1 - fraction) * median) {
                    devices.add(device.getKey());
                    evidence.add(String.format(java.util.Locale.ROOT, "%s %.1f, %.0f%% below its median %.1f over %d runs",
                            device.getKey(), now, 100 * (1 - now / median), median, past.size()));
                }
            }
            if (!devices.isEmpty()) {
                regressed.add(new NodeEntry(node.getKey(), VERDICT, devices, "best Gbit/s this run fell more than "
                        + Math.round(fraction * 100) + "% below the device's own median over the kept runs: "
                        + String.join("; ", evidence), evidence));
            }
        }
        return regressed;
    }

    /** The summary with the regressed nodes it does not name already listed as Regressed (and not counted Healthy). */
    public static FleetSummary apply(FleetSummary summary, List<NodeEntry> regressed) {
        Set<String> named = Set.copyOf(summary.faultyList().stream().map(NodeEntry::node).toList());
        List<NodeEntry> added = regressed.stream().filter(r -> !named.contains(r.node())).toList();
        if (added.isEmpty()) {
            return summary;
        }
        Map<String, Integer> counts = new TreeMap<>(summary.counts());
        counts.merge("Healthy", -added.size(), Integer::sum);
        counts.merge(VERDICT, added.size(), Integer::sum);
        List<NodeEntry> faulty = new ArrayList<>(summary.faultyList());
        faulty.addAll(added);
        faulty.sort(Comparator.comparing(NodeEntry::node));
        return new FleetSummary(summary.nodes(), counts, summary.paths(), summary.flakyPairs(), summary.railFaults(),
                summary.rounds(), summary.pairTests(), summary.seed(), summary.strategy(), summary.ringTimestep(),
                summary.thresholds(), faulty, summary.pathFaults(), summary.rails());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
