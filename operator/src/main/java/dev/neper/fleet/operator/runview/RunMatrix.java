package dev.neper.fleet.operator.runview;

import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.RailEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fleet run seen node by device, as the metrics and the report show it: every node the run named or
 * tested, and per device its best Gbit/s and its verdict. A link is as fast as its slower end, so the best
 * of a device's tests in the run is what the device itself reached (a healthy device paired with a bad one
 * in round 1 reaches its speed with a good partner in round 2). The numbers come from the run's child
 * NeperTests, the verdicts from the status: nothing else is stored for it.
 *
 * @param rails every rail, in name order
 * @param nodes every node the run tested or named, in name order
 */
public record RunMatrix(List<String> rails, List<NodeRow> nodes) {
    public static final String HEALTHY = "Healthy";
    private static final Set<String> UNTESTED = Set.of("Skipped", "Unqualified");

    public RunMatrix {
        rails = List.copyOf(rails);
        nodes = List.copyOf(nodes);
    }

    /**
     * A node's verdict and its devices.
     *
     * @param verdict the node's verdict (Healthy when the status does not list it)
     * @param devices one cell per rail, in the rails' order
     */
    public record NodeRow(String node, String verdict, List<DeviceCell> devices) {
        public NodeRow {
            devices = List.copyOf(devices);
        }
    }

    /**
     * @param gbps    the best receiver Gbit/s of the device's tests in the run that ran cleanly ({@link BestLinks}),
     *                or null when none did
     * @param verdict the node's verdict when it names the device (or the node was not tested), else Healthy
     */
    public record DeviceCell(String device, Double gbps, String verdict) {
    }

    /** @param children the run's child NeperTests (labelled with its run id), none of another run's */
    public static RunMatrix of(NeperFleetTestStatus status, Collection<NeperTest> children) {
        Map<String, Map<String, Double>> best = BestLinks.of(children);
        Set<String> rails = new TreeSet<>();
        Set<String> nodes = new TreeSet<>();
        for (NeperTest child : children) {
            if (child.getStatus() == null) {
                continue;
            }
            for (PairStatus pair : child.getStatus().pairList()) {
                for (LinkResult link : pair.links() == null ? List.<LinkResult>of() : pair.links()) {
                    rails.add(link.device());
                    nodes.add(pair.server());
                    nodes.add(pair.client());
                }
            }
        }
        FleetSummary summary = status.summary();
        Map<String, NodeEntry> named = new HashMap<>();
        if (summary != null) {
            (summary.faulty() == null ? List.<NodeEntry>of() : summary.faulty()).forEach(e -> named.put(e.node(), e));
            (summary.rails() == null ? List.<RailEntry>of() : summary.rails()).forEach(r -> rails.add(r.rail()));
        }
        nodes.addAll(named.keySet());
        List<NodeRow> rows = new ArrayList<>();
        for (String node : nodes) {
            NodeEntry entry = named.get(node);
            String verdict = entry == null ? HEALTHY : entry.verdict();
            Set<String> blamed = entry == null || entry.devices() == null ? Set.of() : Set.copyOf(entry.devices());
            Map<String, Double> numbers = best.getOrDefault(node, Map.of());
            List<DeviceCell> cells = rails.stream().map(rail -> new DeviceCell(rail, numbers.get(rail),
                    blamed.contains(rail) || UNTESTED.contains(verdict) ? verdict : HEALTHY)).toList();
            rows.add(new NodeRow(node, verdict, cells));
        }
        return new RunMatrix(List.copyOf(rails), rows);
    }
}
