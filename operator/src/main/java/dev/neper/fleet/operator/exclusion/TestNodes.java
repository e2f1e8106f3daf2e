package dev.neper.fleet.operator.exclusion;

import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Pair;
import io.fabric8.kubernetes.api.model.Node;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The nodes a NeperTest or a fleet run uses. */
public final class TestNodes {
    private TestNodes() {
    }

    public static Set<String> of(NeperTest test) {
        Set<String> nodes = new TreeSet<>();
        if (test.getSpec() == null) {
            return nodes;
        }
        for (Pair pair : test.getSpec().pairList()) {
            if (pair.server() != null && pair.server().node() != null) {
                nodes.add(pair.server().node());
            }
            if (pair.client() != null && pair.client().node() != null) {
                nodes.add(pair.client().node());
            }
        }
        return nodes;
    }

    /** The nodes a fleet run's selector matches among {@code nodes}, its exclusions aside. */
    public static Set<String> of(NeperFleetTest fleet, Collection<Node> nodes) {
        Set<String> selected = new TreeSet<>();
        if (fleet.getSpec() == null || fleet.getSpec().nodes() == null) {
            return selected;
        }
        Set<String> excluded = Set.copyOf(fleet.getSpec().nodes().excludeList());
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            if (!excluded.contains(name) && fleet.getSpec().nodes().selects(node.getMetadata().getLabels())) {
                selected.add(name);
            }
        }
        return selected;
    }

    public static List<String> list(NeperTest test) {
        return List.copyOf(of(test));
    }
}
