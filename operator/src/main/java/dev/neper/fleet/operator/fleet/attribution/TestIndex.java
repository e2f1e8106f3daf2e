package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every judged link test, by node and rail. */
public final class TestIndex {
    private final Map<String, Map<String, List<JudgedLink>>> byNodeAndRail = new HashMap<>();

    public TestIndex(List<JudgedLink> tests) {
        for (JudgedLink test : tests) {
            add(test.server(), test);
            add(test.client(), test);
        }
    }

    private void add(String node, JudgedLink test) {
        byNodeAndRail.computeIfAbsent(node, n -> new HashMap<>()).computeIfAbsent(test.device(), d -> new ArrayList<>()).add(test);
    }

    public List<JudgedLink> of(String node, String rail) {
        return byNodeAndRail.getOrDefault(node, Map.of()).getOrDefault(rail, List.of());
    }
}
