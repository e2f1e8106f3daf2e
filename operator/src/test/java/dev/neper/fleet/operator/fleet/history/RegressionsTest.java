package dev.neper.fleet.operator.fleet.history;

import dev.neper.fleet.operator.api.FleetJudging;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NodeEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A device that fell below its own median over the kept runs is Regressed, even far above the floor. */
@Tag("unit")
class RegressionsTest {
    private static Map<String, Map<String, Double>> run(double n1eth1, double n1eth2, double n2eth1) {
        return Map.of("n1", Map.of("eth1", n1eth1, "eth2", n1eth2), "n2", Map.of("eth1", n2eth1));
    }

    @Test
    void aDeviceThatFellByMoreThanTheFractionIsRegressedAndTheOthersAreNot() {
        List<Map<String, Map<String, Double>>> earlier = List.of(run(380, 390, 385), run(385, 395, 380), run(390, 100, 390));
        List<NodeEntry> regressed = Regressions.find(run(290, 392, 350), earlier, 0.2, 2);
        assertEquals(1, regressed.size());
        NodeEntry n1 = regressed.getFirst();
        assertEquals("n1", n1.node());
        assertEquals("Regressed", n1.verdict());
        assertEquals(List.of("eth1"), n1.devices(), "eth2's median (390) holds against one bad night; n2 fell 9%");
        assertEquals(List.of("eth1 290.0, 25% below its median 385.0 over 3 runs"), n1.evidence());
    }

    @Test
    void tooFewEarlierRunsOrAZeroFractionJudgeNothing() {
        assertEquals(List.of(), Regressions.find(run(100, 100, 100), List.of(run(380, 390, 385)), 0.2, 2));
        assertEquals(List.of(), Regressions.find(run(100, 100, 100), List.of(run(380, 390, 385), run(380, 390, 385)), 0, 2));
    }

    @Test
    void theSummaryListsRegressedNodesNotAlreadyNamedAndCountsThemOutOfHealthy() {
        FleetSummary summary = new FleetSummary(3, Map.of("Healthy", 2, "LinkFault", 1), 0, 0, 0, 2, 3, 1, "RANDOM", 0,
                FleetJudging.DEFAULT, List.of(new NodeEntry("n3", "LinkFault", List.of("eth1"), "x", List.of())), List.of(),
                List.of());
        FleetSummary with = Regressions.apply(summary, List.of(
                new NodeEntry("n1", "Regressed", List.of("eth1"), "fell", List.of()),
                new NodeEntry("n3", "Regressed", List.of("eth2"), "fell", List.of())));
        assertEquals(Map.of("Healthy", 1, "LinkFault", 1, "Regressed", 1), with.counts());
        assertEquals(List.of("n1 Regressed", "n3 LinkFault"), with.faulty().stream().map(n -> n.node() + " " + n.verdict())
                .toList());
        assertTrue(Regressions.apply(summary, List.of()) == summary);
    }
}
