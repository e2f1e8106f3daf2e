package dev.neper.fleet.operator.fleettest.status;

import dev.neper.fleet.operator.api.FleetJudging;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.FleetProgress;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.RailEntry;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.events.Notice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a fleet run's status change means: urgency on a new phase or wave, one Event per fault named, once. */
@Tag("unit")
class FleetTransitionTest {
    private static NeperFleetTestStatus running(int round, int wave) {
        return NeperFleetTestStatus.builder().phase(FleetPhase.Running).reason(Reason.WaveStarted)
                .message("round " + round + " wave " + wave).progress(new FleetProgress(round, wave, 4, List.of("t"), 0, 0))
                .build();
    }

    @Test
    void aNewWaveIsUrgentAndAnnouncedAndTheSameWaveIsNot() {
        FleetTransition next = FleetTransition.between(running(1, 1), running(2, 1));
        assertTrue(next.urgent());
        assertEquals(List.of(new Notice(Reason.WaveStarted, "round 2 wave 1")), next.events());
        FleetTransition same = FleetTransition.between(running(2, 1), running(2, 1).toBuilder().message("more").build());
        assertFalse(same.urgent());
        assertEquals(List.of(), same.events());
    }

    @Test
    void theVerdictsGiveOneEventPerFaultyNodePathAndRailTheSkippedAside() {
        FleetSummary summary = new FleetSummary(10, Map.of("Healthy", 7, "NodeFault", 1, "LinkFault", 1, "Skipped", 1), 1, 0,
                1, 3, 9, 7, "RANDOM", 0, new FleetJudging(100.0, 0.9, -3.5, 0.01, 8), List.of(
                        new NodeEntry("n3", "NodeFault", List.of("eth1", "eth2"), "2 of 2 devices fail", List.of("r1 n4: eth1 60.0 <floor")),
                        new NodeEntry("n6", "LinkFault", List.of("eth2"), "eth2 fails with 2 of 2", List.of()),
                        new NodeEntry("n9", "Skipped", List.of(), "node is cordoned", List.of())),
                List.of(new PathEntry(List.of("n1", "n2"), "eth1", "Path", "failed twice", List.of("r3 n1->n2: eth1 0.2"))),
                List.of(new RailEntry("eth2", 4, 60.0, 180.0, 1.0, List.of("rack r7: eth2 switch of rack r7: 3 of 3"))));
        NeperFleetTestStatus done = NeperFleetTestStatus.builder().phase(FleetPhase.Completed).reason(Reason.FaultsFound)
                .message("3 faults").summary(summary).build();
        FleetTransition ended = FleetTransition.between(running(3, 1), done);
        assertTrue(ended.ended());
        List<String> events = ended.events().stream().map(n -> n.reason() + " " + n.message()).toList();
        assertEquals(List.of("FaultsFound 3 faults",
                "NodeFault node n3 eth1, eth2: NodeFault: 2 of 2 devices fail; evidence: r1 n4: eth1 60.0 <floor",
                "LinkFault node n6 eth2: LinkFault: eth2 fails with 2 of 2",
                "PathFault path n1 <-> n2 eth1: Path: failed twice; evidence: r3 n1->n2: eth1 0.2",
                "RailFault rail eth2: rack r7: eth2 switch of rack r7: 3 of 3"), events);
        assertEquals(List.of(), FleetTransition.between(done, done.toBuilder().message("again").build()).events(),
                "once");
    }
}
