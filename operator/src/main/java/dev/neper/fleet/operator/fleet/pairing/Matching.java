package dev.neper.fleet.operator.fleet.pairing;

import java.util.List;

/**
 * Round 1's pairs: every node in exactly one, but the odd node out.
 *
 * @param pairs   the pairs
 * @param oddNode the node left over when the fleet has an odd number of nodes, or null
 */
public record Matching(List<NodePair> pairs, String oddNode) {
    public Matching {
        pairs = List.copyOf(pairs);
    }
}
