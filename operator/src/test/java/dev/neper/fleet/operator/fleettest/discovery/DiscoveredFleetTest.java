package dev.neper.fleet.operator.fleettest.discovery;

import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.PreVerdict;
import dev.neper.fleet.operator.testing.FleetNetwork;
import dev.neper.fleet.operator.testing.FleetSpecBuilder;
import dev.neper.fleet.runner.contract.DevmemCapability;
import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.Preflight;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fleet as discovery found it: nodes without a pod by their Node object, with one by what it reported
 * (or why it did not); in a devmem mode, a failed preflight or a selected device the doctor's checks find
 * incapable makes the node Unqualified, naming what failed.
 */
@Tag("unit")
class DiscoveredFleetTest {
    private static final FleetNetwork NETWORK = new FleetNetwork("d", 8, 2);

    private static DiscoveredPod reported(int node, NodeTopology topology) {
        return new DiscoveredPod("p" + node, NETWORK.node(node), "rack-" + node % 2, DiscoveredPod.Outcome.REPORTED,
                topology, null);
    }

    private static NodeTopology capable(int node) {
        NodeTopology t = NETWORK.topology(NETWORK.node(node));
        List<NetworkDevice> devices = t.devices().stream().map(d -> withDevmem(d, new DevmemCapability(true, List.of())))
                .toList();
        return new NodeTopology(1, "test", "6.18", devices, List.of(), false, List.of(),
                new Preflight("cuda", true, List.of()));
    }

    private static NetworkDevice withDevmem(NetworkDevice d, DevmemCapability devmem) {
        return new NetworkDevice(d.name(), d.ifindex(), d.state(), d.speedMbps(), d.mtu(), d.addresses(), d.driver(), d.pci(),
                d.numa(), d.cpus(), d.rxQueues(), d.headerSplit(), d.gpus(), d.gpuMatch(), devmem);
    }

    private static Node node(int i, boolean ready) {
        return new NodeBuilder().withNewMetadata().withName(NETWORK.node(i)).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    @Test
    void inADevmemModeAFailedPreflightOrAnIncapableDeviceUnqualifiesTheNode() {
        NeperFleetTestSpec spec = FleetSpecBuilder.fleetSpec().mode(Mode.CUDA).exclude(NETWORK.node(8)).build();
        List<Node> selected = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            selected.add(node(i, i != 7));
        }
        NodeTopology noCuda = capable(3).withPreflight(new Preflight("cuda", false, List.of("libcuda: not found")));
        NodeTopology incapable = capable(4);
        incapable = new NodeTopology(1, "test", "6.18", incapable.devices().stream().map(d -> d.name().equals("eth2")
                ? withDevmem(d, new DevmemCapability(false, List.of("header-split: unsupported"))) : d).toList(),
                List.of(), false, List.of(), incapable.preflight());
        NodeTopology old = capable(5).withPreflight(null);
        List<DiscoveredPod> pods = List.of(reported(1, capable(1)), reported(2, capable(2)), reported(3, noCuda),
                reported(4, incapable), reported(5, old),
                new DiscoveredPod("p6", NETWORK.node(6), null, DiscoveredPod.Outcome.RUNNING, null, "ImagePullBackOff"));
        EligibleFleet fleet = DiscoveredFleet.assess(spec, selected, pods, Duration.ofMinutes(1));

        assertEquals(List.of("eth1", "eth2"), fleet.rails());
        assertEquals(List.of(NETWORK.node(1), NETWORK.node(2)), fleet.nodes().stream().map(n -> n.name()).toList());
        assertEquals("rack-1", fleet.nodes().getFirst().rack(), "the rack recorded on the pod");
        Map<String, String> verdicts = new TreeMap<>();
        for (PreVerdict v : fleet.preVerdicts()) {
            verdicts.put(v.node(), v.kind() + ": " + v.reason());
        }
        assertEquals(Map.of(
                NETWORK.node(3), "Unqualified: preflight failed: --mode cuda: libcuda: not found",
                NETWORK.node(4), "Unqualified: preflight failed: eth2 cannot do devmem: header-split: unsupported",
                NETWORK.node(5), "Unqualified: preflight failed: discover reported no preflight of the mode (a runner image"
                        + " older than the operator?)",
                NETWORK.node(6), "Unqualified: preflight failed: discovery pod p6 had not reported within 60 s"
                        + " (ImagePullBackOff)",
                NETWORK.node(7), "Skipped: node is not Ready",
                NETWORK.node(8), "Skipped: node is excluded by the fleet test"), verdicts);
    }
}
