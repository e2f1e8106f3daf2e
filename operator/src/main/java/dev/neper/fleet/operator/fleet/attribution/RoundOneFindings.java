package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * What round 1 says before attribution: the rails at fault fleet-wide (left out of everything after),
 * the suspects (both ends of every failing link on the other rails), and the known-good nodes (every
 * round-1 link on the other rails passed).
 *
 * @param fleetRails   fleet-wide rail faults
 * @param suspects     each suspect node's suspect rails
 * @param goodNodes    nodes that passed round 1, by name
 * @param failingLinks round 1's failing links on the rails not at fault fleet-wide
 */
public record RoundOneFindings(List<RailFault> fleetRails, Map<String, SortedSet<String>> suspects,
                               List<String> goodNodes, List<JudgedLink> failingLinks) {
    public RoundOneFindings {
        fleetRails = List.copyOf(fleetRails);
        suspects = Map.copyOf(suspects);
        goodNodes = List.copyOf(goodNodes);
        failingLinks = List.copyOf(failingLinks);
    }

    public Set<String> faultyRails() {
        return fleetRails.stream().map(RailFault::rail).collect(Collectors.toSet());
    }

    /** The rails attribution works on: all but those at fault fleet-wide. */
    public List<String> attributedRails(List<String> rails) {
        Set<String> faulty = faultyRails();
        return rails.stream().filter(r -> !faulty.contains(r)).toList();
    }

    public boolean isSuspect(String node, String rail) {
        return suspects.getOrDefault(node, java.util.Collections.emptySortedSet()).contains(rail);
    }
}
