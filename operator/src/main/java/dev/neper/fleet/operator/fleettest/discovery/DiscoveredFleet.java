package dev.neper.fleet.operator.fleettest.discovery;

import dev.neper.fleet.operator.api.FleetDevices;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.fleet.eligibility.DeviceSelection;
import dev.neper.fleet.operator.fleet.eligibility.Eligibility;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.ObservedDevice;
import dev.neper.fleet.operator.fleet.eligibility.ObservedNode;
import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopology;
import io.fabric8.kubernetes.api.model.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet as discovery found it: each selected node observed, from its discovery pod where it had one
 * (the pods are the truth once made: a node's later changes do not move it out of the run), from its Node
 * object where it had none; then eligibility. In udmabuf and cuda modes a node whose preflight failed,
 * or whose selected device cannot do devmem by the doctor's checks, is Unqualified.
 */
public final class DiscoveredFleet {
    private DiscoveredFleet() {
    }

    /** The device selection of a spec, as the fleet core takes it. */
    public static DeviceSelection selection(FleetDevices devices) {
        return devices.pattern() != null ? DeviceSelection.matching(devices.pattern())
                : new DeviceSelection(devices.nameList(), null);
    }

    /**
     * @param selected the nodes the selector matches now (excluded ones among them)
     * @param pods     the run's discovery pods, each ended or past the deadline
     * @param deadline how long discovery was given, for the reason of a pod that did not end
     */
    public static EligibleFleet assess(NeperFleetTestSpec spec, List<Node> selected, List<DiscoveredPod> pods,
                                       Duration deadline) {
        Set<String> excluded = Set.copyOf(spec.nodes().excludeList());
        Map<String, DiscoveredPod> byNode = new HashMap<>();
        pods.forEach(p -> byNode.put(p.node(), p));
        String topologyKey = spec.pairingOrDefault().topologyKey();
        List<ObservedNode> observed = new ArrayList<>();
        for (DiscoveredPod pod : pods) {
            observed.add(fromPod(pod, excluded.contains(pod.node()), deadline));
        }
        for (Node node : selected) {
            String name = node.getMetadata().getName();
            if (byNode.containsKey(name)) {
                continue;
            }
            boolean ready = NodeState.ready(node);
            boolean cordoned = NodeState.cordoned(node);
            boolean skipped = excluded.contains(name) || !ready || cordoned;
            String rack = topologyKey == null || node.getMetadata().getLabels() == null ? null
                    : node.getMetadata().getLabels().get(topologyKey);
            observed.add(new ObservedNode(name, rack, ready, cordoned, excluded.contains(name),
                    skipped ? null : "no discovery pod: the node was selected after discovery began", List.of()));
        }
        DeviceSelection selection = selection(spec.devices());
        if (spec.template().mode().isDevmem()) {
            observed = withDevmemChecks(observed, selection.rails(observed), byNode);
        }
        return Eligibility.assess(selection, observed);
    }

    private static ObservedNode fromPod(DiscoveredPod pod, boolean excluded, Duration deadline) {
        return switch (pod.outcome()) {
            case REPORTED -> new ObservedNode(pod.node(), pod.rack(), true, false, excluded, preflight(pod.topology()),
                    pod.topology().devices().stream().map(ObservedDevice::of).toList());
            case FAILED -> new ObservedNode(pod.node(), pod.rack(), true, false, excluded,
                    "discovery pod " + pod.name() + " " + pod.problem(), List.of());
            case RUNNING -> new ObservedNode(pod.node(), pod.rack(), true, false, excluded,
                    "discovery pod " + pod.name() + " had not reported within " + deadline.toSeconds() + " s ("
                            + pod.problem() + ")", List.of());
        };
    }

    /** The host-wide checks discover ran for the mode (null in host mode, which has none). */
    private static String preflight(NodeTopology topology) {
        if (topology.preflight() == null || topology.preflight().passed()) {
            return null;
        }
        return "--mode " + topology.preflight().mode() + ": " + String.join("; ", topology.preflight().failures());
    }

    private static List<ObservedNode> withDevmemChecks(List<ObservedNode> nodes, List<String> rails,
                                                       Map<String, DiscoveredPod> pods) {
        List<ObservedNode> checked = new ArrayList<>(nodes.size());
        for (ObservedNode node : nodes) {
            DiscoveredPod pod = pods.get(node.name());
            String failure = node.preflightFailure();
            if (failure == null && pod != null && pod.topology() != null) {
                if (pod.topology().preflight() == null) {
                    failure = "discover reported no preflight of the mode (a runner image older than the operator?)";
                } else {
                    failure = incapable(pod.topology(), rails);
                }
            }
            checked.add(new ObservedNode(node.name(), node.rack(), node.ready(), node.cordoned(), node.excluded(),
                    failure, node.devices()));
        }
        return checked;
    }

    /** The first selected device the doctor's per-link checks say cannot do devmem, with why. */
    private static String incapable(NodeTopology topology, List<String> rails) {
        for (NetworkDevice device : topology.devices()) {
            if (rails.contains(device.name()) && device.devmem() != null
                    && Boolean.FALSE.equals(device.devmem().capable())) {
                return device.name() + " cannot do devmem: " + String.join("; ", device.devmem().problems());
            }
        }
        return null;
    }
}
