package dev.neper.fleet.local.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The local fleet's network, made of network namespaces: one per node (its host network), one for
 * the rail switches (a bridge per rail), and a veth pair per node per link. {@link #close} deletes
 * every namespace it created, which deletes the veths and bridges with them (the qdiscs of injected
 * faults it removes first); a shutdown hook does the same if the JVM exits first, so Ctrl-C leaves
 * nothing behind.
 */
public final class FleetNetwork implements AutoCloseable {
    private final FleetLayout layout;
    private final List<String> created = new ArrayList<>();
    /** Devices given a qdisc (namespace, device), removed before the namespaces go. */
    private final List<String[]> shaped = new ArrayList<>();
    private final Thread cleanupHook = new Thread(this::deleteAll, "fleet-network-cleanup");
    private boolean closed;

    private FleetNetwork(FleetLayout layout) {
        this.layout = layout;
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    public static FleetNetwork create(FleetLayout layout) {
        FleetNetwork network = new FleetNetwork(layout);
        try {
            network.build();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private void build() {
        String fabric = layout.fabricNamespace();
        addNamespace(fabric);
        for (int link = 1; link <= layout.links(); link++) {
            IpCommand.run("-n", fabric, "link", "add", layout.railBridge(link), "type", "bridge");
            IpCommand.run("-n", fabric, "link", "set", layout.railBridge(link), "up");
        }
        for (int node = 1; node <= layout.nodes(); node++) {
            String ns = layout.namespace(node);
            addNamespace(ns);
            IpCommand.run("-n", ns, "link", "set", "lo", "up");
            for (int link = 1; link <= layout.links(); link++) {
                String device = layout.device(link);
                String port = layout.switchPort(node, link);
                // made inside the node with its peer moved into the fabric at once: nothing in the root namespace
                IpCommand.run("-n", ns, "link", "add", device, "type", "veth", "peer", "name", port, "netns", fabric);
                IpCommand.run("-n", fabric, "link", "set", port, "master", layout.railBridge(link));
                IpCommand.run("-n", fabric, "link", "set", port, "up");
                IpCommand.run("-n", ns, "addr", "add", layout.address(node, link) + "/24", "dev", device);
                IpCommand.run("-n", ns, "link", "set", device, "up");
            }
        }
    }

    private void addNamespace(String name) {
        IpCommand.run("netns", "add", name);
        created.add(name);
    }

    public FleetLayout layout() {
        return layout;
    }

    /** Sets node i's link k down or up (its NIC, as a pulled cable would). */
    public void setLink(int node, int link, boolean up) {
        IpCommand.run("-n", layout.namespace(node), "link", "set", layout.device(link), up ? "up" : "down");
    }

    /**
     * The bytes node i's link k has received and sent since the fleet was made: its device's counters,
     * which count every frame the link carried, whichever process sent it.
     */
    public long carriedBytes(int node, int link) {
        String statistics = "/sys/class/net/" + layout.device(link) + "/statistics/";
        String counters = IpCommand.run("netns", "exec", layout.namespace(node), "cat", statistics + "rx_bytes",
                statistics + "tx_bytes");
        return counters.lines().map(String::strip).mapToLong(Long::parseLong).sum();
    }

    /**
     * Slows node i's link k to {@code rate} (tc's spelling: 1gbit) both ways, as a bad NIC, optic or cable
     * would: a tbf qdisc on the node's device (what it sends) and on its switch port in the fabric (what
     * it receives).
     */
    public synchronized void slowLink(int node, int link, String rate) {
        tbf(layout.namespace(node), layout.device(link), rate);
        tbf(layout.fabricNamespace(), layout.switchPort(node, link), rate);
    }

    /**
     * Slows only the traffic between nodes a and b on link k to {@code rate}, both ways, as a bad route
     * between two switch ports would: each node's device gets an htb qdisc whose one class, rate-limited,
     * takes the packets for the other node's address on that link (a u32 filter); every other packet
     * leaves unshaped (htb's default names no class).
     */
    public synchronized void slowPath(int a, int b, int link, String rate) {
        for (int[] ends : new int[][] {{a, b}, {b, a}}) {
            String ns = layout.namespace(ends[0]);
            String device = layout.device(link);
            IpCommand.tc("-n", ns, "qdisc", "replace", "dev", device, "root", "handle", "1:", "htb", "default", "99");
            shaped.add(new String[] {ns, device});
            IpCommand.tc("-n", ns, "class", "add", "dev", device, "parent", "1:", "classid", "1:20", "htb", "rate", rate,
                    "ceil", rate, "quantum", "65536");
            IpCommand.tc("-n", ns, "filter", "add", "dev", device, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                    "match", "ip", "dst", layout.address(ends[1], link) + "/32", "flowid", "1:20");
        }
    }

    /** Removes every fault: qdiscs deleted, every link up. */
    public synchronized void clearFaults() {
        removeQdiscs();
        for (int node = 1; node <= layout.nodes(); node++) {
            for (int link = 1; link <= layout.links(); link++) {
                setLink(node, link, true);
            }
        }
    }

    private void tbf(String namespace, String device, String rate) {
        IpCommand.tc("-n", namespace, "qdisc", "replace", "dev", device, "root", "tbf", "rate", rate, "burst", "256kb",
                "latency", "50ms");
        shaped.add(new String[] {namespace, device});
    }

    private void removeQdiscs() {
        for (String[] qdisc : shaped) {
            IpCommand.tryTc("-n", qdisc[0], "qdisc", "del", "dev", qdisc[1], "root");
        }
        shaped.clear();
    }

    /** The namespaces this network made, for checks that nothing is left. */
    public List<String> namespaces() {
        return List.copyOf(created);
    }

    private synchronized void deleteAll() {
        removeQdiscs();
        for (int i = created.size() - 1; i >= 0; i--) {
            IpCommand.tryRun("netns", "del", created.get(i));
        }
        created.clear();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deleteAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
