package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.ScriptedRun;
import dev.neper.fleet.operator.fleet.attribution.NodeVerdict;
import dev.neper.fleet.operator.fleet.attribution.Verdict;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;
import dev.neper.fleet.operator.fleet.wave.Wave;
import dev.neper.fleet.operator.fleet.wave.WaveResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.neper.fleet.operator.fleet.ScriptedRun.HEALTHY;
import static dev.neper.fleet.operator.fleet.ScriptedRun.healthyBut;
import static dev.neper.fleet.operator.fleet.ScriptedRun.involves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class FleetPlannerTest {
    private static final FleetSettings SETTINGS = ScriptedRun.settings(11);

    @Test
    void aPairLimitSplitsRoundsIntoWavesOfAtMostThatMany() {
        List<Wave> waves = new ArrayList<>();
        FleetReport report = ScriptedRun.run(ScriptedRun.fleet(40, 2, 8), SETTINGS.withMaxPairsAtOnce(6),
                healthyBut((round, s, c, d) -> involves(s, c, "n001") || involves(s, c, "n002") ? 50.0 : HEALTHY), waves);
        assertTrue(waves.stream().allMatch(w -> w.pairs().size() <= 6));
        assertEquals(4, waves.stream().filter(w -> w.round() == 1).count(), "20 pairs in waves of 6");
        Set<String> roundOne = new HashSet<>();
        waves.stream().filter(w -> w.round() == 1).flatMap(w -> w.pairs().stream())
                .forEach(p -> assertTrue(roundOne.add(p.server()) && roundOne.add(p.client())));
        assertEquals(40, roundOne.size());
        assertEquals(report.waves(), waves.size());
        assertEquals(waves.stream().mapToInt(w -> w.pairs().size()).sum(), report.pairTests());
    }

    @Test
    void theOddNodeOutIsTestedLaterWithANodeThatPassed() {
        List<Wave> waves = new ArrayList<>();
        ScriptedRun.run(ScriptedRun.fleet(9, 2, 0), SETTINGS, healthyBut((round, s, c, d) -> HEALTHY), waves);
        assertEquals(2, waves.size());
        PlannedPair odd = waves.get(1).pairs().getFirst();
        assertEquals(Purpose.ODD_NODE, odd.purpose());
        assertTrue(waves.get(0).pairs().stream().anyMatch(p -> p.server().equals(odd.server()) || p.client().equals(odd.server())),
                "the odd node's partner was tested in wave 1");

        List<Wave> limited = new ArrayList<>();
        ScriptedRun.run(ScriptedRun.fleet(9, 2, 0), SETTINGS.withMaxPairsAtOnce(3), healthyBut((round, s, c, d) -> HEALTHY), limited);
        assertEquals(List.of(3, 2), limited.stream().map(w -> w.pairs().size()).toList(), "joins the last wave, which has room");
        assertEquals(Purpose.ODD_NODE, limited.get(1).pairs().getLast().purpose());
    }

    @Test
    void roundTwoGivesEachSuspectTwoDifferentGoodPartnersAndAtMostThreeRoundsRun() {
        List<Wave> waves = new ArrayList<>();
        FleetReport report = ScriptedRun.run(ScriptedRun.fleet(64, 4, 8), SETTINGS,
                healthyBut((round, s, c, d) -> involves(s, c, "n010") && d.equals("eth1") ? 30.0 : HEALTHY), waves);
        List<PlannedPair> second = waves.stream().filter(w -> w.round() == 2).flatMap(w -> w.pairs().stream()).toList();
        assertEquals(4, second.size(), "two suspects, two partners each");
        for (String suspect : second.stream().flatMap(p -> java.util.stream.Stream.of(p.server(), p.client()))
                .filter(n -> second.stream().filter(p -> p.server().equals(n) || p.client().equals(n)).count() == 2).toList()) {
            Set<String> partners = new HashSet<>();
            second.stream().filter(p -> p.server().equals(suspect) || p.client().equals(suspect))
                    .forEach(p -> partners.add(p.server().equals(suspect) ? p.client() : p.server()));
            assertEquals(2, partners.size());
        }
        assertTrue(second.stream().allMatch(p -> p.links().size() == 1 && p.links().getFirst().device().equals("eth1")));
        assertTrue(report.rounds() <= 3);
        assertEquals(Verdict.LinkFault, report.verdicts().nodes().stream().filter(n -> n.node().equals("n010"))
                .map(NodeVerdict::verdict).findFirst().orElseThrow());
    }

    @Test
    void resultsThatDoNotMatchThePlanAreRefused() {
        EligibleFleet fleet = ScriptedRun.fleet(4, 1, 0);
        FleetRun run = FleetRun.start(fleet, SETTINGS);
        Wave first = ((Step.RunWave) FleetPlanner.next(run)).wave();
        assertThrows(IllegalArgumentException.class, () -> FleetPlanner.next(run.with(new WaveResult(2, 1, List.of()))));
        assertThrows(IllegalArgumentException.class, () -> FleetPlanner.next(run.with(new WaveResult(1, 1,
                List.of(LinkMeasurement.of("n000", "n999", "eth1", 190))))));
        PlannedPair pair = first.pairs().getFirst();
        LinkMeasurement twice = LinkMeasurement.of(pair.server(), pair.client(), "eth1", 190);
        assertThrows(IllegalArgumentException.class, () -> FleetPlanner.next(run.with(new WaveResult(1, 1, List.of(twice, twice)))));
    }

    @Test
    void aPlannedLinkWithoutAMeasurementFailsAsNoResult() {
        EligibleFleet fleet = ScriptedRun.fleet(16, 1, 0);
        FleetRun run = FleetRun.start(fleet, SETTINGS.withJudging(SETTINGS.judging().withFloor(150.0)));
        Wave first = ((Step.RunWave) FleetPlanner.next(run)).wave();
        PlannedPair silent = first.pairs().getFirst();
        List<LinkMeasurement> results = first.pairs().stream().filter(p -> p != silent)
                .map(p -> LinkMeasurement.of(p.server(), p.client(), "eth1", 190)).toList();
        Wave second = ((Step.RunWave) FleetPlanner.next(run.with(new WaveResult(1, 1, results)))).wave();
        assertEquals(2, second.round());
        assertTrue(second.pairs().stream().allMatch(p -> p.purpose() == Purpose.GOOD_PARTNER
                && (p.server().equals(silent.server()) || p.client().equals(silent.server())
                || p.server().equals(silent.client()) || p.client().equals(silent.client()))));
    }

    @Test
    void theSameRunGivesTheSamePlan() {
        EligibleFleet fleet = ScriptedRun.fleet(50, 3, 8);
        List<Wave> one = new ArrayList<>();
        List<Wave> two = new ArrayList<>();
        ScriptedRun.Links links = healthyBut((round, s, c, d) -> involves(s, c, "n020") ? 40.0 : HEALTHY);
        FleetReport a = ScriptedRun.run(fleet, SETTINGS, links, one);
        FleetReport b = ScriptedRun.run(fleet, SETTINGS, links, two);
        assertEquals(one, two);
        assertEquals(a, b);
    }
}
