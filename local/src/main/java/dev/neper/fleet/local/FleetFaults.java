package dev.neper.fleet.local;

import dev.neper.fleet.local.topology.FleetLayout;
import dev.neper.fleet.local.topology.FleetNetwork;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The faults a local fleet run injects, checked against the fleet's shape: a slow link (NODE:DEV, rate
 * limited both ways), a bad node (every device of it slowed), a down link (NODE:DEV set down), a slow path
 * (NODE:NODE:DEV, only the traffic between the two nodes slowed). A node is a number or its name
 * (3, local-node-3); a device its name or number (eth2, 2). One device carries at most one fault.
 */
public record FleetFaults(List<int[]> slowLinks, List<Integer> badNodes, List<int[]> downLinks, List<int[]> slowPaths,
                          String rate) {
    /**
     * Slow enough that no healthy veth link is mistaken for it: healthy links measured 1.5 to 2.2 Gbit/s with
     * every link of a wave busy on a loaded 2-core machine, and the example's floor is 0.6.
     */
    public static final String DEFAULT_RATE = "200mbit";

    public static FleetFaults parse(FleetLayout layout, List<String> slowLinks, List<String> badNodes,
                                    List<String> downLinks, List<String> slowPaths, String rate) {
        List<int[]> slow = new ArrayList<>();
        for (String spec : slowLinks) {
            slow.add(nodeDevice(layout, spec, "--slow-link"));
        }
        List<Integer> bad = new ArrayList<>();
        for (String spec : badNodes) {
            bad.add(node(layout, spec, "--bad-node"));
        }
        List<int[]> down = new ArrayList<>();
        for (String spec : downLinks) {
            down.add(nodeDevice(layout, spec, "--down-link"));
        }
        List<int[]> paths = new ArrayList<>();
        for (String spec : slowPaths) {
            String[] parts = spec.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("--slow-path takes NODE:NODE:DEV (3:4:eth2), not '" + spec + "'");
            }
            int a = node(layout, parts[0], "--slow-path");
            int b = node(layout, parts[1], "--slow-path");
            if (a == b) {
                throw new IllegalArgumentException("--slow-path " + spec + ": a path joins two different nodes");
            }
            paths.add(new int[] {a, b, device(layout, parts[2], "--slow-path")});
        }
        FleetFaults faults = new FleetFaults(slow, bad, down, paths, rate == null ? DEFAULT_RATE : rate);
        faults.checkOneFaultPerDevice(layout);
        return faults;
    }

    public boolean isEmpty() {
        return slowLinks.isEmpty() && badNodes.isEmpty() && downLinks.isEmpty() && slowPaths.isEmpty();
    }

    public void inject(FleetNetwork network) {
        FleetLayout layout = network.layout();
        slowLinks.forEach(f -> network.slowLink(f[0], f[1], rate));
        for (int node : badNodes) {
            for (int link = 1; link <= layout.links(); link++) {
                network.slowLink(node, link, rate);
            }
        }
        downLinks.forEach(f -> network.setLink(f[0], f[1], false));
        slowPaths.forEach(f -> network.slowPath(f[0], f[1], f[2], rate));
    }

    /** One line per fault, with what was done. */
    public List<String> describe(FleetLayout layout) {
        List<String> lines = new ArrayList<>();
        slowLinks.forEach(f -> lines.add("slow link: " + layout.nodeName(f[0]) + " " + layout.device(f[1]) + " at " + rate
                + " both ways (tbf on the device and on its switch port)"));
        badNodes.forEach(n -> lines.add("bad node: " + layout.nodeName(n) + ", every device at " + rate));
        downLinks.forEach(f -> lines.add("down link: " + layout.nodeName(f[0]) + " " + layout.device(f[1]) + " set down"));
        slowPaths.forEach(f -> lines.add("slow path: " + layout.nodeName(f[0]) + " <-> " + layout.nodeName(f[1]) + " on "
                + layout.device(f[2]) + " at " + rate + " (htb and a u32 filter on both devices); it shows only when the"
                + " run pairs the two"));
        return lines;
    }

    private void checkOneFaultPerDevice(FleetLayout layout) {
        Set<String> taken = new HashSet<>();
        List<int[]> devices = new ArrayList<>(slowLinks);
        for (int node : badNodes) {
            for (int link = 1; link <= layout.links(); link++) {
                devices.add(new int[] {node, link});
            }
        }
        devices.addAll(downLinks);
        slowPaths.forEach(p -> {
            devices.add(new int[] {p[0], p[2]});
            devices.add(new int[] {p[1], p[2]});
        });
        for (int[] device : devices) {
            if (!taken.add(device[0] + "/" + device[1])) {
                throw new IllegalArgumentException(layout.nodeName(device[0]) + " " + layout.device(device[1])
                        + " has two faults: give each device at most one");
            }
        }
    }

    private static int[] nodeDevice(FleetLayout layout, String spec, String option) {
        String[] parts = spec.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + " takes NODE:DEV (3:eth2), not '" + spec + "'");
        }
        return new int[] {node(layout, parts[0], option), device(layout, parts[1], option)};
    }

    private static int node(FleetLayout layout, String text, String option) {
        int node = text.startsWith(FleetLayout.NODE_PREFIX) ? layout.nodeNumber(text) : parse(text);
        if (node < 1 || node > layout.nodes()) {
            throw new IllegalArgumentException(option + ": no node '" + text + "' in a fleet of " + layout.nodes()
                    + " (1.." + layout.nodes() + " or local-node-N)");
        }
        return node;
    }

    private static int device(FleetLayout layout, String text, String option) {
        int link = parse(text.startsWith("eth") ? text.substring(3) : text);
        if (link < 1 || link > layout.links()) {
            throw new IllegalArgumentException(option + ": no device '" + text + "' on nodes of " + layout.links()
                    + " links (eth1..eth" + layout.links() + ")");
        }
        return link;
    }

    private static int parse(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
