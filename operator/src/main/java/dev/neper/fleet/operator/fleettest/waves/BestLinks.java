package dev.neper.fleet.operator.fleettest.waves;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's best Gbit/s per node and device, from its children's per-link results (the run's evidence,
 * kept with the run): what the regression check compares, a few numbers per node and device per kept run.
 */
public final class BestLinks {
    private BestLinks() {
    }

    /** Per run id (in the order given), its best Gbit/s per node and device. */
    public static Map<String, Map<String, Map<String, Double>>> byRun(Collection<NeperTest> children, List<String> runs) {
        Map<String, List<NeperTest>> grouped = new HashMap<>();
        for (NeperTest child : children) {
            String run = child.getMetadata().getLabels() == null ? null : child.getMetadata().getLabels().get(FleetLabels.RUN);
            if (run != null) {
                grouped.computeIfAbsent(run, r -> new ArrayList<>()).add(child);
            }
        }
        Map<String, Map<String, Map<String, Double>>> byRun = new LinkedHashMap<>();
        for (String run : runs) {
            byRun.put(run, of(grouped.getOrDefault(run, List.of())));
        }
        return byRun;
    }

    public static Map<String, Map<String, Double>> of(Collection<NeperTest> children) {
        Map<String, Map<String, Double>> best = new TreeMap<>();
        for (LinkMeasurement link : WaveResults.of(0, 0, List.copyOf(children)).links()) {
            if (link.errorKind() == null && link.gbps() != null) {
                for (String node : List.of(link.server(), link.client())) {
                    best.computeIfAbsent(node, n -> new TreeMap<>()).merge(link.device(), link.gbps(), Math::max);
                }
            }
        }
        return best;
    }
}
