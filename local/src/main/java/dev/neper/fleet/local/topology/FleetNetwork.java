package dev.neper.fleet.local.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The local fleet's network, made of network namespaces: one per node (its host network), one for
 * the rail switches (a bridge per rail), and a veth pair per node per link. {@link #close} deletes
 * every namespace it created, which deletes the veths and bridges with them; a shutdown hook does
 * the same if the JVM exits first, so Ctrl-C leaves nothing behind.
 */
public final class FleetNetwork implements AutoCloseable {
    private final FleetLayout layout;
    private final List<String> created = new ArrayList<>();
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

    /** The namespaces this network made, for checks that nothing is left. */
    public List<String> namespaces() {
        return List.copyOf(created);
    }

    private synchronized void deleteAll() {
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
