package dev.neper.fleet.operator.status;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.run.RunPlan;
import dev.neper.fleet.operator.testing.SpecBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole status per situation: what each sets, the conditions the aggregator fills, and their stamps. */
@Tag("unit")
class StatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(5);
    private static final NeperTest TEST = SpecBuilder.spec().pair("s0", "c0", 1).stored("agg", 3);
    private static final List<String> STANDARD = List.of(TestConditions.COMPLETE, TestConditions.PASSED,
            TestConditions.SERVERS_READY, TestConditions.WAITING_FOR_NODES, TestConditions.INVALID_SPEC);

    @Test
    void everySituationCarriesEveryStandardConditionStampedWithItsGeneration() {
        for (NeperTestStatus status : List.of(
                StatusAggregator.waiting(TEST, null, "unit/other", "waiting for NeperTest unit/other", T0),
                StatusAggregator.invalid(TEST, null, List.of("spec.pairs: at least one pair is needed"), T0),
                StatusAggregator.restarting(TEST, null, "the spec changed", T0),
                StatusAggregator.run(TEST, null, starting(), T0, T0))) {
            assertEquals(STANDARD, status.conditionList().stream().map(Condition::getType)
                    .filter(STANDARD::contains).toList(), status.toString());
            assertTrue(status.conditionList().stream().allMatch(c -> c.getObservedGeneration() == 3
                    && T0.toString().equals(c.getLastTransitionTime())), status.toString());
            assertEquals(3L, status.observedGeneration());
        }
    }

    @Test
    void waitingSetsItsConditionAndTheRestFollowsThePhase() {
        NeperTestStatus waiting = StatusAggregator.waiting(TEST, null, "unit/other", "waiting for NeperTest unit/other", T0);
        assertEquals(TestPhase.Pending, waiting.phase());
        assertEquals("unit/other", waiting.waitingFor());
        assertCondition(waiting, TestConditions.WAITING_FOR_NODES, "True", Reason.WaitingForNodes);
        assertCondition(waiting, TestConditions.COMPLETE, "False", Reason.WaitingForNodes);
        assertCondition(waiting, TestConditions.PASSED, "Unknown", Reason.WaitingForNodes);
        assertCondition(waiting, TestConditions.INVALID_SPEC, "False", Reason.Accepted);
        assertNull(Conditions.find(waiting.conditions(), TestConditions.SPEC_CHANGED), "set only once the spec changed");
    }

    @Test
    void anEndedRunCompletesWithItsVerdictAndSummary() {
        PairStatus pair = new PairStatus("s0", "c0", PairPhase.Succeeded, null, null,
                List.of(new LinkResult("eth1", 120.5, LinkVerdict.Passed, null, null, null, null)));
        RunPlan plan = new RunPlan(List.of(pair), List.of(), List.of(), true, TestPhase.Succeeded, Reason.Succeeded,
                "all 1 links passed", null);
        NeperTestStatus done = StatusAggregator.run(TEST, null, plan, T0, T1);
        assertCondition(done, TestConditions.COMPLETE, "True", Reason.Succeeded);
        assertCondition(done, TestConditions.PASSED, "True", Reason.Succeeded);
        assertCondition(done, TestConditions.SERVERS_READY, "True", Reason.ServersReady);
        assertEquals(T1.toString(), done.completionTime());
        assertEquals("1/1", done.summary().links());
        assertEquals(120.5, done.summary().medianGbps());
    }

    @Test
    void recomputingAnUnchangedSituationGivesAnEqualStatusSoNothingIsWritten() {
        NeperTestStatus first = StatusAggregator.run(TEST, null, starting(), T0, T0);
        assertEquals(first, StatusAggregator.run(TEST, first, starting(), T0, T1));
        NeperTestStatus running = StatusAggregator.run(TEST, first, new RunPlan(first.pairs(), List.of(), List.of(), true,
                TestPhase.Running, Reason.ClientsStarted, "clients of 1 pairs are sending", null), T0, T1);
        Condition complete = Conditions.find(running.conditions(), TestConditions.COMPLETE);
        assertEquals(T0.toString(), Conditions.find(running.conditions(), TestConditions.INVALID_SPEC).getLastTransitionTime(),
                "a condition whose status did not change keeps its transition time");
        assertEquals("False", complete.getStatus());
        assertEquals(T1.toString(), Conditions.find(running.conditions(), TestConditions.SERVERS_READY)
                .getLastTransitionTime());
    }

    @Test
    void aRestartSaysTheSpecChangedAndTheNextRunKeepsSaying() {
        NeperTestStatus restarting = StatusAggregator.restarting(TEST, null, "from generation 2 to 3", T0);
        assertCondition(restarting, TestConditions.SPEC_CHANGED, "True", Reason.RunRestarted);
        NeperTestStatus rerun = StatusAggregator.run(TEST, restarting, starting(), T1, T1);
        assertEquals(Conditions.find(restarting.conditions(), TestConditions.SPEC_CHANGED),
                Conditions.find(rerun.conditions(), TestConditions.SPEC_CHANGED));
    }

    @Test
    void anEditAfterTheEndKeepsTheResultsAndStampsOnlySpecChangedWithTheNewGeneration() {
        NeperTestStatus ended = StatusAggregator.invalid(SpecBuilder.spec().stored("agg", 1), null, List.of("bad"), T0);
        NeperTestStatus edited = StatusAggregator.specChangedAfterEnd(TEST, ended, T1);
        assertEquals(ended.phase(), edited.phase());
        assertEquals(ended.message(), edited.message());
        assertEquals(1L, edited.observedGeneration(), "the results are still generation 1's");
        for (String type : STANDARD) {
            assertEquals(Conditions.find(ended.conditions(), type), Conditions.find(edited.conditions(), type));
        }
        Condition changed = Conditions.find(edited.conditions(), TestConditions.SPEC_CHANGED);
        assertEquals(Reason.SpecChangeIgnored.name(), changed.getReason());
        assertEquals(3L, changed.getObservedGeneration());
        assertTrue(changed.getMessage().contains("changed to generation 3 after the run of generation 1"));
        assertEquals(edited, StatusAggregator.specChangedAfterEnd(TEST, edited, T1.plusSeconds(60)), "said once");
    }

    @Test
    void aSpecRefusedAgainKeepsItsFirstCompletionTime() {
        NeperTestStatus first = StatusAggregator.invalid(TEST, null, List.of("bad"), T0);
        assertEquals(T0.toString(), StatusAggregator.invalid(TEST, first, List.of("still bad"), T1).completionTime());
    }

    private static RunPlan starting() {
        PairStatus pair = new PairStatus("s0", "c0", PairPhase.Starting, null, null,
                List.of(new LinkResult("eth1", null, LinkVerdict.Pending, null, null, null, null)));
        return new RunPlan(List.of(pair), List.of(0), List.of(), false, TestPhase.Starting, Reason.Started,
                "0 of 1 servers ready", T0.plusSeconds(60));
    }

    private static void assertCondition(NeperTestStatus status, String type, String value, Reason reason) {
        Condition condition = Conditions.find(status.conditions(), type);
        assertEquals(value, condition.getStatus(), condition.toString());
        assertEquals(reason.name(), condition.getReason(), condition.toString());
    }
}
