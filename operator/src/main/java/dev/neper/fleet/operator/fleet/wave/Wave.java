package dev.neper.fleet.operator.fleet.wave;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pairs tested at the same time: every node is in at most one of them.
 *
 * @param round the round, 1 to 3
 * @param index the wave's number within its round, from 1
 * @param pairs the pairs
 */
public record Wave(int round, int index, List<PlannedPair> pairs) {
    public Wave {
        pairs = List.copyOf(pairs);
        Set<String> busy = new HashSet<>();
        for (PlannedPair pair : pairs) {
            if (!busy.add(pair.server()) || !busy.add(pair.client())) {
                throw new IllegalArgumentException("round " + round + " wave " + index + " tests a node twice: "
                        + pair.server() + "/" + pair.client());
            }
        }
    }
}
