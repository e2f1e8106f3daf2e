package dev.neper.fleet.local.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a local fleet: N nodes with K links each, wired like an A3 cluster's rails: link k of
 * every node hangs off rail k, one switch per rail, so any two nodes can test over any link. Rail k
 * is subnet 198.18.k.0/24 and node i's address on it is 198.18.k.i (the benchmarking range only).
 * Nodes are named local-node-1..N in Kubernetes; the network namespaces carry the fleet id so two
 * fleets never collide.
 */
public record FleetLayout(String fleetId, int nodes, int links) {
    public static final String NODE_PREFIX = "local-node-";

    public FleetLayout {
        if (nodes < 2 || nodes > 254) {
            throw new IllegalArgumentException("a local fleet has 2 to 254 nodes, not " + nodes);
        }
        if (links < 1 || links > 16) {
            throw new IllegalArgumentException("a local node has 1 to 16 links, not " + links);
        }
        if (!fleetId.matches("[a-z0-9]{1,8}")) {
            throw new IllegalArgumentException("a fleet id is 1-8 lowercase letters or digits, not '" + fleetId + "'");
        }
    }

    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            names.add(nodeName(i));
        }
        return names;
    }

    public String nodeName(int node) {
        return NODE_PREFIX + node;
    }

    /** The node number of a local node name, or -1 if the name is not one of this fleet's. */
    public int nodeNumber(String nodeName) {
        if (nodeName == null || !nodeName.startsWith(NODE_PREFIX)) {
            return -1;
        }
        try {
            int n = Integer.parseInt(nodeName.substring(NODE_PREFIX.length()));
            return n >= 1 && n <= nodes ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The network namespace that is node i: its "host network". */
    /** What every network namespace of this fleet's name starts with. */
    public String namespacePrefix() {
        return "nf" + fleetId + "-";
    }

    public String namespace(int node) {
        return namespacePrefix() + "n" + node;
    }

    /** The namespace holding the rail switches. */
    public String fabricNamespace() {
        return namespacePrefix() + "fabric";
    }

    public String device(int link) {
        return "eth" + link;
    }

    public String address(int node, int link) {
        return "198.18." + link + "." + node;
    }

    public String railBridge(int link) {
        return "rail" + link;
    }

    /** The switch port (in the fabric namespace) that node i's link k plugs into. */
    public String switchPort(int node, int link) {
        return "n" + node + "l" + link;
    }
}
