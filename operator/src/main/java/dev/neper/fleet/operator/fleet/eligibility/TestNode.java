package dev.neper.fleet.operator.fleet.eligibility;

import java.util.Map;
import java.util.TreeMap;

/**
 * A node that takes part in traffic tests.
 *
 * @param name      the node's name
 * @param rack      its topology value, or null when it has none
 * @param addresses each rail's address on this node (IP literal, no prefix), in the same subnet as every
 *                  other tested node's address on that rail
 */
public record TestNode(String name, String rack, Map<String, String> addresses) {
    public TestNode {
        addresses = java.util.Collections.unmodifiableMap(new TreeMap<>(addresses));
    }

    /** Two nodes are in different racks only when both racks are known and differ. */
    public boolean inOtherRackThan(TestNode other) {
        return rack != null && other.rack != null && !rack.equals(other.rack);
    }
}
