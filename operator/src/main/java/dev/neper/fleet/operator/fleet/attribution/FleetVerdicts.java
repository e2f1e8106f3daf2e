package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.RailStats;

import java.util.List;
import java.util.Map;

/**
 * Everything a run concluded.
 *
 * @param nodes      every observed node's verdict, by name
 * @param paths      paths and flaky pairs, no node blamed
 * @param railFaults rails at fault, fleet-wide or in one rack
 * @param railStats  each rail's round-1 statistics
 */
public record FleetVerdicts(List<NodeVerdict> nodes, List<PathVerdict> paths, List<RailFault> railFaults,
                            Map<String, RailStats> railStats) {
    public FleetVerdicts {
        nodes = List.copyOf(nodes);
        paths = List.copyOf(paths);
        railFaults = List.copyOf(railFaults);
        railStats = Map.copyOf(railStats);
    }
}
