package dev.neper.fleet.operator.runview;

import dev.neper.fleet.operator.testing.FleetRunFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("unit")
class RunMatrixTest {
    private static Map<String, String> cells(RunMatrix matrix) {
        return matrix.nodes().stream().flatMap(n -> n.devices().stream().map(c -> Map.entry(n.node() + " " + c.device(),
                c.verdict() + " " + c.gbps()))).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void everyNodeTestedOrNamedGetsItsDevicesBestNumberAndTheVerdictThatNamesThem() {
        RunMatrix matrix = RunMatrix.of(FleetRunFixture.status(), FleetRunFixture.children());
        assertEquals(List.of("eth1", "eth2"), matrix.rails());
        assertEquals(List.of("node-1 Healthy", "node-2 Healthy", "node-3 NodeFault", "node-4 LinkFault", "node-5 Healthy",
                "node-6 Skipped"), matrix.nodes().stream().map(n -> n.node() + " " + n.verdict()).toList());
        assertEquals(Map.ofEntries(
                Map.entry("node-1 eth1", "Healthy 4.9"), Map.entry("node-1 eth2", "Healthy 4.4"),
                Map.entry("node-2 eth1", "Healthy 4.6"), Map.entry("node-2 eth2", "Healthy 4.4"),
                Map.entry("node-3 eth1", "NodeFault 0.2"), Map.entry("node-3 eth2", "NodeFault 0.2"),
                // the node's healthy device reached its speed with a good partner; the faulty one never did
                Map.entry("node-4 eth1", "Healthy 4.7"), Map.entry("node-4 eth2", "LinkFault 0.2"),
                Map.entry("node-5 eth1", "Healthy 4.9"), Map.entry("node-5 eth2", "Healthy 4.1"),
                // never tested: every device has the node's verdict and no number
                Map.entry("node-6 eth1", "Skipped null"), Map.entry("node-6 eth2", "Skipped null")), cells(matrix));
    }

    @Test
    void fromTheStatusAloneOnlyTheNamedNodesAppear() {
        RunMatrix matrix = RunMatrix.of(FleetRunFixture.status(), List.of());
        assertEquals(List.of("node-3", "node-4", "node-6"), matrix.nodes().stream().map(RunMatrix.NodeRow::node).toList());
        assertEquals(List.of("eth1", "eth2"), matrix.rails(), "the rails from the status's rail statistics");
        assertEquals("Healthy null", cells(matrix).get("node-4 eth1"));
    }

    @Test
    void aDeviceThatNeverMeasuredHasNoNumber() {
        List<dev.neper.fleet.operator.api.NeperTest> children = new ArrayList<>(FleetRunFixture.children());
        children.add(FleetRunFixture.child("r3w1-p1", 3, List.of(FleetRunFixture.pair("node-7", "node-1",
                FleetRunFixture.link("eth3", null)))));
        RunMatrix matrix = RunMatrix.of(FleetRunFixture.status(), children);
        assertEquals(List.of("eth1", "eth2", "eth3"), matrix.rails());
        assertEquals("Healthy null", cells(matrix).get("node-7 eth3"));
        assertEquals("Healthy null", cells(matrix).get("node-7 eth1"), "a rail it was not tested on");
    }

    @Test
    void anErroredLinksPartialRateIsNoDevicesSpeed() {
        List<dev.neper.fleet.operator.api.NeperTest> children = new ArrayList<>(FleetRunFixture.children());
        children.add(FleetRunFixture.child("r3w1-p1", 3, List.of(FleetRunFixture.pair("node-7", "node-1",
                new dev.neper.fleet.operator.api.LinkResult("eth3", 8.2, dev.neper.fleet.operator.api.LinkVerdict.Failed,
                        null, null, null, "server eth3: SUICIDE: the run outlived its suicide length")))));
        RunMatrix matrix = RunMatrix.of(FleetRunFixture.status(), children);
        assertEquals("Healthy null", cells(matrix).get("node-7 eth3"), "8.2 Gbit/s before the error is not eth3's speed");
        assertEquals("Healthy null", cells(matrix).get("node-1 eth3"));
    }
}
