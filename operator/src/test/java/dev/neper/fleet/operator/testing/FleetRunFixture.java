package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.RailEntry;
import dev.neper.fleet.operator.api.TestPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A completed fleet run as the operator leaves it, for the metrics and report tests: 6 nodes x 2 rails (eth1,
 * eth2); node-3 a NodeFault (both devices slow), node-4 a LinkFault on eth2 (down: no number), node-6 Skipped
 * (cordoned, never tested), the others healthy at 4 to 5 Gbit/s. Round 1 paired 1-2, 3-4 and 5-1 (the odd one
 * out); round 2 tested node-3 and node-4 with node-1 and node-2.
 */
public final class FleetRunFixture {
    public static final String NAMESPACE = "neper-fleet";
    public static final String NAME = "nightly";
    public static final String RUN_ID = "20260115-020000";

    private FleetRunFixture() {
    }

    public static NeperFleetTest fleetTest() {
        NeperFleetTest fleet = new NeperFleetTest();
        fleet.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(NAME).withUid("uid-nightly")
                .withGeneration(1L).build());
        fleet.setStatus(status());
        return fleet;
    }

    public static NeperFleetTestStatus status() {
        List<NodeEntry> faulty = List.of(
                new NodeEntry("node-3", "NodeFault", List.of("eth1", "eth2"),
                        "2 of 2 devices fail with good partners node-1, node-2 (at least 0.5 of them): the host",
                        List.of("r1 node-4: eth1 0.2 <floor, eth2 0.2 <floor", "r2 node-1: eth1 0.2 <floor, eth2 0.2 <floor")),
                new NodeEntry("node-4", "LinkFault", List.of("eth2"),
                        "eth2 fails with 2 of 2 good partners (node-1 error LINK_DOWN, node-2 error LINK_DOWN); the node's"
                                + " other 1 devices pass",
                        List.of("r2 node-1: eth2 LINK_DOWN", "r2 node-2: eth2 LINK_DOWN, eth1 ok")),
                new NodeEntry("node-6", "Skipped", List.of(), "cordoned", List.of()));
        List<RailEntry> rails = List.of(new RailEntry("eth1", 3, 0.2, 4.6, 0.3, List.of()),
                new RailEntry("eth2", 2, 0.2, 2.4, 2.2, List.of()));
        FleetSummary summary = new FleetSummary(6, Map.of("Healthy", 3, "NodeFault", 1, "LinkFault", 1, "Skipped", 1), 0, 1,
                0, 2, 7, 42L, "random", 0, null, faulty,
                List.of(new PathEntry(List.of("node-2", "node-5"), "eth1", "Flaky", "failed once, passed on retest",
                        List.of("r1 node-2->node-5: eth1 0.3 <floor", "r3 node-2->node-5: eth1 4.4 ok"))),
                rails);
        return NeperFleetTestStatus.builder().phase(FleetPhase.Completed).reason("FaultsFound")
                .message("2 faults found (3 of 6 nodes healthy)").runId(RUN_ID).seed(42L)
                .startTime("2026-01-15T02:00:00Z").completionTime("2026-01-15T02:03:30Z").observedGeneration(1L)
                .healthy("3/6").faults(2).summary(summary).build();
    }

    /** The run's child NeperTests, one per wave, labelled with the run. */
    public static List<NeperTest> children() {
        return List.of(
                child("r1w1-p1", 1, List.of(
                        pair("node-1", "node-2", link("eth1", 4.6), link("eth2", 4.4)),
                        pair("node-3", "node-4", link("eth1", 0.2), link("eth2", 0.2)))),
                child("r1w2-p1", 1, List.of(pair("node-5", "node-1", link("eth1", 4.9), link("eth2", 4.1)))),
                child("r2w1-p1", 2, List.of(
                        pair("node-1", "node-3", link("eth1", 0.2), link("eth2", 0.2)),
                        pair("node-2", "node-4", link("eth1", 4.5), link("eth2", null)))),
                child("r2w2-p1", 2, List.of(
                        pair("node-2", "node-3", link("eth1", 0.2), link("eth2", 0.2)),
                        pair("node-1", "node-4", link("eth1", 4.7), link("eth2", null)))));
    }

    public static LinkResult link(String device, Double gbps) {
        return new LinkResult(device, gbps, gbps == null ? LinkVerdict.Failed : LinkVerdict.Passed, null, null, null,
                gbps == null ? "LINK_DOWN: the link is down" : null);
    }

    public static PairStatus pair(String server, String client, LinkResult... links) {
        return new PairStatus(server, client, null, null, null, List.of(links));
    }

    public static NeperTest child(String suffix, int round, List<PairStatus> pairs) {
        NeperTest test = new NeperTest();
        test.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(NAME + "-" + RUN_ID + "-" + suffix)
                .withLabels(Map.of(FleetLabels.FLEET_TEST, NAME, FleetLabels.RUN, RUN_ID, FleetLabels.ROUND,
                        Integer.toString(round)))
                .build());
        test.setStatus(NeperTestStatus.builder().phase(TestPhase.Succeeded).pairs(new ArrayList<>(pairs)).build());
        return test;
    }
}
