package dev.neper.fleet.operator.fleet.attribution;

import dev.neper.fleet.operator.fleet.ScriptedRun;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.pairing.FirstRoundPairing;
import dev.neper.fleet.operator.fleet.pairing.NodePair;
import dev.neper.fleet.operator.fleet.planning.FleetReport;
import dev.neper.fleet.operator.fleet.planning.FleetSettings;
import dev.neper.fleet.operator.fleet.wave.Purpose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.neper.fleet.operator.fleet.ScriptedRun.HEALTHY;
import static dev.neper.fleet.operator.fleet.ScriptedRun.healthyBut;
import static dev.neper.fleet.operator.fleet.ScriptedRun.involves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each verdict on a hand-made fleet of 32 nodes in racks of 8, 4 rails. */
@Tag("unit")
class AttributionTest {
    private static final EligibleFleet FLEET = ScriptedRun.fleet(32, 4, 8);
    private static final FleetSettings SETTINGS = ScriptedRun.settings(42);

    private static Map<String, NodeVerdict> byNode(FleetReport report) {
        return report.verdicts().nodes().stream().collect(Collectors.toMap(NodeVerdict::node, Function.identity()));
    }

    private static void onlyTheseAreNotHealthy(FleetReport report, String... nodes) {
        List<String> unhealthy = report.verdicts().nodes().stream().filter(n -> n.verdict() != Verdict.Healthy)
                .map(NodeVerdict::node).toList();
        assertEquals(List.of(nodes), unhealthy);
    }

    private static NodePair roundOnePair(int index) {
        return FirstRoundPairing.match(FLEET.nodes(), SETTINGS.pairing()).pairs().get(index);
    }

    @Test
    void aDeviceFailingWithBothGoodPartnersIsALinkFault() {
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                involves(s, c, "n005") && d.equals("eth2") ? 80.0 : HEALTHY));
        onlyTheseAreNotHealthy(report, "n005");
        NodeVerdict verdict = byNode(report).get("n005");
        assertEquals(Verdict.LinkFault, verdict.verdict());
        assertEquals(List.of("eth2"), verdict.devices());
        List<JudgedLink> withGood = verdict.evidence().stream().filter(t -> t.purpose() == Purpose.GOOD_PARTNER).toList();
        assertEquals(2, withGood.size());
        Map<String, TestNode> nodes = FLEET.nodes().stream().collect(Collectors.toMap(TestNode::name, Function.identity()));
        TestNode first = nodes.get(withGood.get(0).peerOf("n005"));
        TestNode second = nodes.get(withGood.get(1).peerOf("n005"));
        assertTrue(first.inOtherRackThan(nodes.get("n005")) && second.inOtherRackThan(nodes.get("n005"))
                && first.inOtherRackThan(second), "partners in other racks: " + first + " " + second);
        assertTrue(verdict.reason().contains("other 3 devices pass"), verdict.reason());
        assertTrue(report.verdicts().paths().isEmpty());
    }

    @Test
    void mostDevicesFailingWithGoodPartnersIsANodeFaultAndItsPartnerIsHealthy() {
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                involves(s, c, "n007") && !d.equals("eth4") ? 60.0 : HEALTHY));
        onlyTheseAreNotHealthy(report, "n007");
        NodeVerdict verdict = byNode(report).get("n007");
        assertEquals(Verdict.NodeFault, verdict.verdict());
        assertEquals(List.of("eth1", "eth2", "eth3"), verdict.devices());
    }

    @Test
    void twoBadDevicesOfFourAreANodeFaultOneIsALinkFault() {
        FleetReport two = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                involves(s, c, "n007") && (d.equals("eth1") || d.equals("eth3")) ? 60.0 : HEALTHY));
        assertEquals(Verdict.NodeFault, byNode(two).get("n007").verdict());
    }

    @Test
    void aPairThatFailsAgainWhileBothEndsPassElsewhereIsAPath() {
        NodePair pair = roundOnePair(3);
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                involves(s, c, pair.server()) && involves(s, c, pair.client()) && d.equals("eth3") ? null : HEALTHY));
        onlyTheseAreNotHealthy(report);
        PathVerdict path = report.verdicts().paths().getFirst();
        assertEquals(Verdict.Path, path.verdict());
        assertEquals(List.of(pair.server(), pair.client(), "eth3"), List.of(path.server(), path.client(), path.device()));
        assertEquals(List.of(1, 2, 2, 2, 2, 3, 3), path.evidence().stream().map(JudgedLink::round).toList());
        assertEquals(3, report.rounds());
    }

    @Test
    void aPairThatPassesOnRetestIsFlakyAndNoNodeIsBlamed() {
        NodePair pair = roundOnePair(0);
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                round == 1 && involves(s, c, pair.server()) && d.equals("eth1") ? 20.0 : HEALTHY));
        onlyTheseAreNotHealthy(report);
        assertEquals(Verdict.Flaky, report.verdicts().paths().getFirst().verdict());
    }

    @Test
    void aDeviceThatFailsWithOneGoodPartnerOfTwoGetsAVote() {
        FleetReport flaky = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                d.equals("eth1") && (round == 1 && involves(s, c, "n009") || round == 2 && s.equals("n009")) ? 50.0 : HEALTHY));
        NodeVerdict verdict = byNode(flaky).get("n009");
        assertEquals(Verdict.Flaky, verdict.verdict(), verdict.reason());
        assertTrue(verdict.evidence().stream().anyMatch(t -> t.purpose() == Purpose.VOTE && t.passed()));

        FleetReport faulty = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                d.equals("eth1") && (round == 1 && involves(s, c, "n009") || round >= 2 && s.equals("n009")) ? 50.0 : HEALTHY));
        assertEquals(Verdict.LinkFault, byNode(faulty).get("n009").verdict());
        assertTrue(byNode(faulty).get("n009").reason().contains("2 of 3 good partners"), byNode(faulty).get("n009").reason());
    }

    @Test
    void suspectsWithoutGoodPartnersAreInconclusiveNotConvicted() {
        EligibleFleet four = ScriptedRun.fleet(4, 1, 0);
        FleetSettings floor = SETTINGS.withJudging(SETTINGS.judging().withFloor(150.0));
        NodePair first = FirstRoundPairing.match(four.nodes(), floor.pairing()).pairs().get(0);
        NodePair second = FirstRoundPairing.match(four.nodes(), floor.pairing()).pairs().get(1);
        FleetReport report = ScriptedRun.run(four, floor, healthyBut((round, s, c, d) ->
                involves(s, c, first.server()) || involves(s, c, second.client()) ? 50.0 : HEALTHY));
        assertTrue(report.verdicts().nodes().stream().allMatch(n -> n.verdict() == Verdict.Inconclusive),
                report.verdicts().nodes().toString());
    }

    @Test
    void aWholeRailSlowedIsAFleetRailFaultThatRelativeThresholdsDoNotHide() {
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                d.equals("eth4") ? 95.0 + (s.hashCode() & 3) : HEALTHY));
        onlyTheseAreNotHealthy(report);
        RailFault fault = report.verdicts().railFaults().getFirst();
        assertEquals("eth4", fault.rail());
        assertNull(fault.rack());
        assertTrue(fault.reason().contains("median"), fault.reason());
        assertEquals(1, report.rounds());
    }

    @Test
    void aRailDownAcrossTheFleetIsARailFaultByShare() {
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) -> d.equals("eth2") ? null : HEALTHY));
        onlyTheseAreNotHealthy(report);
        assertEquals(List.of("eth2"), report.verdicts().railFaults().stream().map(RailFault::rail).toList());
        assertTrue(report.verdicts().railFaults().getFirst().reason().contains("fails on"));
    }

    @Test
    void aRailFailingOnEveryNodeOfARackIsTheRacksSwitchNotItsNodes() {
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) ->
                d.equals("eth2") && (rack(s) == 1 || rack(c) == 1) ? 70.0 : HEALTHY));
        onlyTheseAreNotHealthy(report);
        RailFault fault = report.verdicts().railFaults().getFirst();
        assertEquals("eth2 rack1", fault.rail() + " " + fault.rack(), fault.reason());
        assertEquals("eth2 switch of rack rack1", fault.switchSide());
        assertTrue(report.verdicts().paths().isEmpty(), report.verdicts().paths().toString());
    }

    @Test
    void aLinkAboveTheFloorButFarBelowItsRailIsCaughtByTheRelativeThreshold() {
        FleetSettings floor = SETTINGS.withJudging(SETTINGS.judging().withFloor(100.0));
        FleetReport report = ScriptedRun.run(FLEET, floor, healthyBut((round, s, c, d) ->
                involves(s, c, "n003") && d.equals("eth1") ? 160.0 : HEALTHY));
        onlyTheseAreNotHealthy(report, "n003");
        assertTrue(byNode(report).get("n003").details().getFirst().evidence().getFirst().failure().detail()
                .startsWith("below 0.9 x median"));
    }

    @Test
    void aHealthyFleetTakesOneRound() {
        FleetReport report = ScriptedRun.run(FLEET, SETTINGS, healthyBut((round, s, c, d) -> HEALTHY));
        onlyTheseAreNotHealthy(report);
        assertEquals(1, report.rounds());
        assertEquals(16, report.pairTests());
    }

    @Test
    void aLoneNodeIsInconclusiveAndAnEmptyFleetFinishes() {
        FleetReport lone = ScriptedRun.run(ScriptedRun.fleet(1, 2, 0), SETTINGS, healthyBut((round, s, c, d) -> HEALTHY));
        assertEquals(Verdict.Inconclusive, lone.verdicts().nodes().getFirst().verdict());
        FleetReport empty = ScriptedRun.run(ScriptedRun.fleet(0, 2, 0), SETTINGS, healthyBut((round, s, c, d) -> HEALTHY));
        assertEquals(0, empty.rounds());
    }

    private static int rack(String node) {
        return Integer.parseInt(node.substring(1)) / 8;
    }
}
