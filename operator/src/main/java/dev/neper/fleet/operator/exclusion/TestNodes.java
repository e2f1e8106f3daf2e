package dev.neper.fleet.operator.exclusion;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Pair;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The nodes a NeperTest uses. */
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

    public static List<String> list(NeperTest test) {
        return List.copyOf(of(test));
    }
}
