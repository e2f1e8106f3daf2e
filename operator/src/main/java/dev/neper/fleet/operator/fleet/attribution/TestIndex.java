package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.judging.JudgedLink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every judged link test, by node and rail. */
public final class TestIndex {
    private final List<JudgedLink> all;
    private final Map<String, Map<String, List<JudgedLink>>> byNodeAndRail = new HashMap<>();

    public TestIndex(List<JudgedLink> tests) {
        this.all = List.copyOf(tests);
        for (JudgedLink test : all) {
            add(test.server(), test);
            add(test.client(), test);
        }
    }

    private void add(String node, JudgedLink test) {
        byNodeAndRail.computeIfAbsent(node, n -> new HashMap<>()).computeIfAbsent(test.device(), d -> new ArrayList<>()).add(test);
    }

    public List<JudgedLink> all() {
        return all;
    }

    public List<JudgedLink> of(String node, String rail) {
        return byNodeAndRail.getOrDefault(node, Map.of()).getOrDefault(rail, List.of());
    }

    public List<JudgedLink> inRound(int round) {
        return all.stream().filter(t -> t.round() == round).toList();
    }
}
