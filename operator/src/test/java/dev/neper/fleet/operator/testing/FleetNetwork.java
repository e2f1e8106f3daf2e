package dev.neper.fleet.operator.testing;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simulated fleet for the tests' kubelet: nodes fleet-name-1..N with rails eth1..ethR, node i's address
 * on rail r in 198.18.0.0/16 (rail r is the /19 at 198.18.(32(r-1)).0, so 8 rails of up to 8,190 nodes),
 * healthy links at 180 Gbit/s (plus a little spread), and the faults a test injects: a slow or failing
 * device, a bad node, a bad path, a node whose discovery fails or lacks a device.
 */
public final class FleetNetwork {
    public static final double HEALTHY_GBPS = 180;
    public static final double SLOW_GBPS = 60;

    /** What a link did: a throughput, or a runner error. */
    public record Outcome(Double gbps, ErrorKind error, String message) {
        static Outcome ok(double gbps) {
            return new Outcome(gbps, null, null);
        }
    }

    private final String prefix;
    private final int nodes;
    private final int rails;
    private final Set<String> slowDevices = new HashSet<>();
    private final Map<String, ErrorKind> failingDevices = new HashMap<>();
    private final Set<String> badNodes = new HashSet<>();
    private final Set<String> badPaths = new HashSet<>();
    private final Set<String> discoveryFails = new HashSet<>();
    private final Map<String, String> missingDevices = new HashMap<>();

    public FleetNetwork(String prefix, int nodes, int rails) {
        this.prefix = prefix;
        this.nodes = nodes;
        this.rails = rails;
    }

    public String node(int i) {
        return prefix + "-" + i;
    }

    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            names.add(node(i));
        }
        return names;
    }

    public List<String> devices() {
        List<String> devices = new ArrayList<>();
        for (int r = 1; r <= rails; r++) {
            devices.add("eth" + r);
        }
        return devices;
    }

    public static String address(int node, int rail) {
        int third = 32 * (rail - 1) + node / 256;
        return "198.18." + third + "." + (node % 256);
    }

    /** The device runs at a third of the others' speed, with every partner. */
    public FleetNetwork slow(int node, String device) {
        slowDevices.add(node(node) + "/" + device);
        return this;
    }

    /** The device fails with this error, with every partner. */
    public FleetNetwork failing(int node, String device, ErrorKind error) {
        failingDevices.put(node(node) + "/" + device, error);
        return this;
    }

    /** Every device of the node is slow. */
    public FleetNetwork bad(int node) {
        badNodes.add(node(node));
        return this;
    }

    /** The path between two nodes is slow on a device, both ways; each node is fine with any other. */
    public FleetNetwork badPath(int a, int b, String device) {
        badPaths.add(node(a) + "/" + node(b) + "/" + device);
        badPaths.add(node(b) + "/" + node(a) + "/" + device);
        return this;
    }

    /** The node's discovery pod exits 1. */
    public FleetNetwork discoveryFails(int node) {
        discoveryFails.add(node(node));
        return this;
    }

    /** Discovery finds no such device on the node. */
    public FleetNetwork without(int node, String device) {
        missingDevices.put(node(node), device);
        return this;
    }

    /** What discover reports on a node, or null when it fails. */
    public NodeTopology topology(String node) {
        if (discoveryFails.contains(node)) {
            return null;
        }
        int index = index(node);
        List<NetworkDevice> devices = new ArrayList<>();
        devices.add(new NetworkDevice("eth0", 2, "up", 100000, 1500, List.of("10.128.0." + (index % 250 + 1) + "/32"),
                "gve", "0000:00:04.0", 0, "0-51", 16, null, List.of(), null, null));
        for (int r = 1; r <= rails; r++) {
            String name = "eth" + r;
            if (name.equals(missingDevices.get(node))) {
                continue;
            }
            devices.add(new NetworkDevice(name, 2 + r, "up", 200000, 8244, List.of(address(index, r) + "/19"), "gve",
                    "0000:" + String.format("%02x", 0x05 + r) + ":00.0", r <= rails / 2 ? 0 : 1, "0-51", 32, null,
                    List.of(), null, null));
        }
        return new NodeTopology(NodeTopology.SCHEMA_VERSION, "test", "6.18.0", devices, List.of(), false, List.of());
    }

    /** What the link between two nodes on a device measures, received by the server. */
    public Outcome link(String server, String client, String device) {
        for (String end : List.of(server, client)) {
            ErrorKind error = failingDevices.get(end + "/" + device);
            if (error != null) {
                return new Outcome(null, error, device + " on " + end + " failed (injected)");
            }
        }
        boolean slow = slowDevices.contains(server + "/" + device) || slowDevices.contains(client + "/" + device)
                || badNodes.contains(server) || badNodes.contains(client)
                || badPaths.contains(server + "/" + client + "/" + device);
        double spread = ((index(server) * 31 + index(client) * 17 + device.hashCode()) & 7) * 0.25;
        return Outcome.ok(slow ? SLOW_GBPS + spread : HEALTHY_GBPS + spread);
    }

    private int index(String node) {
        return Integer.parseInt(node.substring(prefix.length() + 1));
    }
}
