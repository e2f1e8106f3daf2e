package dev.neper.fleet.operator.runview;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.PairStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's best Gbit/s per node and device, from its children's per-link results (the run's evidence,
 * kept with the run), over the links that ran cleanly: a fleet run's children have no threshold, so a
 * link passes unless its runner failed, and an error's partial rate is no device's speed. A link is as
 * fast as its slower end, so the best is what the device itself reached. What the regression check
 * compares, and what the metrics and the report show per node and device.
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
        for (NeperTest child : children) {
            if (child.getStatus() == null) {
                continue;
            }
            for (PairStatus pair : child.getStatus().pairList()) {
                for (LinkResult link : pair.links() == null ? List.<LinkResult>of() : pair.links()) {
                    if (link.verdict() == LinkVerdict.Passed && link.gbps() != null) {
                        for (String node : List.of(pair.server(), pair.client())) {
                            best.computeIfAbsent(node, n -> new TreeMap<>()).merge(link.device(), link.gbps(), Math::max);
                        }
                    }
                }
            }
        }
        return best;
    }
}
