package dev.neper.fleet.operator.fleet.eligibility;

import java.util.List;

/**
 * The fleet a run tests.
 *
 * @param rails       the selected device names, in natural order
 * @param nodes       the testable nodes, by name
 * @param preVerdicts the nodes that get no traffic test, by name
 */
public record EligibleFleet(List<String> rails, List<TestNode> nodes, List<PreVerdict> preVerdicts) {
    public EligibleFleet {
        rails = List.copyOf(rails);
        nodes = List.copyOf(nodes);
        preVerdicts = List.copyOf(preVerdicts);
    }
}
