package dev.neper.fleet.runner.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Shortens a {@link NodeTopology} to the termination message a discover pod leaves (at most
 * {@link NodeTopology#MAX_BYTES} of compact JSON), dropping what fleet validation needs least first:
 * the loopback device always; then IPv6 link-local addresses; then the texts of devmem problems (the
 * verdict stays); then the devices with neither a PCI address nor an address. Nodes with 8 NICs and
 * 8 GPUs fit with every device's addresses, PCI placement, CPUs and nearest GPUs.
 */
public final class NodeTopologies {
    private static final int PROBLEM_TEXT = 80;

    private NodeTopologies() {
    }

    public static NodeTopology compact(NodeTopology full) {
        List<String> omitted = new ArrayList<>(full.omitted());
        List<NetworkDevice> devices = new ArrayList<>();
        for (NetworkDevice d : full.devices()) {
            if (d.name().equals("lo")) {
                omitted.add(d.name());
            } else {
                devices.add(d);
            }
        }
        NodeTopology candidate = with(full, devices, omitted, full.truncated());
        List<UnaryOperator<NodeTopology>> steps = List.of(
                t -> mapDevices(t, d -> new NetworkDevice(d.name(), d.ifindex(), d.state(), d.speedMbps(), d.mtu(),
                        d.addresses().stream().filter(a -> !a.toLowerCase().startsWith("fe80:")).toList(), d.driver(),
                        d.pci(), d.numa(), d.cpus(), d.rxQueues(), d.headerSplit(), d.gpus(), d.gpuMatch(), d.devmem())),
                t -> mapDevices(t, d -> withProblems(d, PROBLEM_TEXT)),
                t -> mapDevices(t, d -> withProblems(d, 0)),
                NodeTopologies::withoutUnaddressedVirtualDevices);
        for (UnaryOperator<NodeTopology> step : steps) {
            if (bytes(candidate) <= NodeTopology.MAX_BYTES) {
                return candidate;
            }
            candidate = step.apply(candidate);
        }
        if (bytes(candidate) > NodeTopology.MAX_BYTES) {
            throw new IllegalStateException("the topology of " + candidate.devices().size() + " devices and "
                    + candidate.gpus().size() + " GPUs does not fit " + NodeTopology.MAX_BYTES + " bytes");
        }
        return candidate;
    }

    private static NodeTopology with(NodeTopology t, List<NetworkDevice> devices, List<String> omitted,
                                     boolean truncated) {
        return new NodeTopology(t.schemaVersion(), t.runnerVersion(), t.kernel(), devices, t.gpus(), truncated, omitted,
                t.preflight());
    }

    private static NodeTopology mapDevices(NodeTopology t, UnaryOperator<NetworkDevice> change) {
        return with(t, t.devices().stream().map(change).toList(), t.omitted(), true);
    }

    private static NetworkDevice withProblems(NetworkDevice d, int limit) {
        DevmemCapability devmem = d.devmem() == null ? null : new DevmemCapability(d.devmem().capable(),
                limit == 0 ? List.of() : d.devmem().problems().stream().map(p -> cut(p, limit)).toList());
        return new NetworkDevice(d.name(), d.ifindex(), d.state(), d.speedMbps(), d.mtu(), d.addresses(), d.driver(),
                d.pci(), d.numa(), d.cpus(), d.rxQueues(), d.headerSplit(), d.gpus(), d.gpuMatch(), devmem);
    }

    private static NodeTopology withoutUnaddressedVirtualDevices(NodeTopology t) {
        List<NetworkDevice> kept = new ArrayList<>();
        List<String> omitted = new ArrayList<>(t.omitted());
        for (NetworkDevice d : t.devices()) {
            if (d.pci() == null && d.addresses().isEmpty()) {
                omitted.add(d.name());
            } else {
                kept.add(d);
            }
        }
        return with(t, kept, omitted, true);
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }

    public static int bytes(NodeTopology topology) {
        return ReportJson.toCompactJson(topology).getBytes(StandardCharsets.UTF_8).length;
    }
}
