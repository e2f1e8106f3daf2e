package dev.neper.fleet.operator.status;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.events.Notice;
import dev.neper.fleet.operator.run.RunPlan;
import dev.neper.fleet.operator.testing.SpecBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One transition per change of status: its Events (each once), its urgency, the follow-up and the metrics reset. */
@Tag("unit")
class TestTransitionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final NeperTest TEST = SpecBuilder.spec().pair("s0", "c0", 1).pair("s1", "c1", 1).stored("tr", 1);

    @Test
    void theFirstStatusIsUrgentAndAnnouncesThePhase() {
        TestTransition t = TestTransition.between(null, run(TestPhase.Starting, Reason.Started, PairPhase.Starting,
                PairPhase.Starting));
        assertTrue(t.urgent());
        assertEquals(List.of(Reason.Started), reasons(t));
        assertFalse(t.followUp());
    }

    @Test
    void aPairFailingIsAWarningOnceAndItsPodsWaitForTheWrite() {
        NeperTestStatus before = run(TestPhase.Running, Reason.ClientsStarted, PairPhase.Running, PairPhase.Running);
        NeperTestStatus after = run(TestPhase.Running, Reason.ClientsStarted, PairPhase.Failed, PairPhase.Running);
        TestTransition t = TestTransition.between(before, after);
        assertEquals(List.of(Reason.PodEvicted), reasons(t));
        assertEquals("evicted", t.events().getFirst().message());
        assertFalse(t.urgent(), "the phase did not change: the write may be coalesced");
        assertTrue(t.followUp());
        assertEquals(List.of(), TestTransition.between(after, after).events(), "not twice");
    }

    @Test
    void theEndIsUrgentCountsAsCompletedAndFollowsUp() {
        NeperTestStatus before = run(TestPhase.Running, Reason.ClientsStarted, PairPhase.Running, PairPhase.Running);
        NeperTestStatus after = run(TestPhase.Succeeded, Reason.Succeeded, PairPhase.Succeeded, PairPhase.Succeeded);
        TestTransition t = TestTransition.between(before, after);
        assertTrue(t.urgent() && t.ended() && t.followUp());
        assertEquals(List.of(Reason.Succeeded), reasons(t));
        assertFalse(TestTransition.between(after, after).ended());
    }

    @Test
    void waitingIsAnnouncedWhenItStartsAndWhenTheBlockerChanges() {
        NeperTestStatus first = StatusAggregator.waiting(TEST, null, "unit/a", "waiting for NeperTest unit/a", T0);
        assertEquals(List.of(Reason.WaitingForNodes), reasons(TestTransition.between(null, first)));
        NeperTestStatus same = StatusAggregator.waiting(TEST, first, "unit/a", "waiting for NeperTest unit/a", T0);
        assertEquals(List.of(), reasons(TestTransition.between(first, same)));
        NeperTestStatus other = StatusAggregator.waiting(TEST, first, "unit/b", "waiting for NeperTest unit/b", T0);
        assertEquals(List.of(Reason.WaitingForNodes), reasons(TestTransition.between(first, other)));
    }

    @Test
    void aRestartResetsTheResultsAndAnEditAfterTheEndIsAnnouncedAsIgnored() {
        NeperTestStatus running = run(TestPhase.Running, Reason.ClientsStarted, PairPhase.Running, PairPhase.Running);
        TestTransition restart = TestTransition.between(running,
                StatusAggregator.restarting(TEST, running, "the spec changed", T0));
        assertTrue(restart.runReset());
        assertEquals(List.of(Reason.RunRestarted), reasons(restart), "no SpecChangeIgnored for a restart");

        NeperTestStatus ended = run(TestPhase.Succeeded, Reason.Succeeded, PairPhase.Succeeded, PairPhase.Succeeded);
        NeperTest edited = SpecBuilder.spec().pair("s0", "c0", 1).pair("s1", "c1", 1).stored("tr", 2);
        TestTransition ignored = TestTransition.between(ended, StatusAggregator.specChangedAfterEnd(edited, ended, T0));
        assertEquals(List.of(Reason.SpecChangeIgnored), reasons(ignored));
        assertFalse(ignored.urgent() || ignored.runReset() || ignored.followUp());
    }

    private static NeperTestStatus run(TestPhase phase, Reason reason, PairPhase first, PairPhase second) {
        List<PairStatus> pairs = List.of(pair("s0", "c0", first), pair("s1", "c1", second));
        return StatusAggregator.run(TEST, null, new RunPlan(pairs, List.of(), List.of(), phase != TestPhase.Starting,
                phase, reason, phase + " message", null), T0, T0);
    }

    private static PairStatus pair(String server, String client, PairPhase phase) {
        boolean failed = phase == PairPhase.Failed;
        return new PairStatus(server, client, phase, failed ? Reason.PodEvicted.name() : null, failed ? "evicted" : null,
                List.of(new LinkResult("eth1", null, failed ? LinkVerdict.Failed : LinkVerdict.Pending, null, null,
                        null, null)));
    }

    private static List<Reason> reasons(TestTransition transition) {
        return transition.events().stream().map(Notice::reason).toList();
    }
}
