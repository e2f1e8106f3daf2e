package dev.neper.fleet.operator.status;

import dev.neper.fleet.operator.api.ConditionedStatus;
import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.TestSummary;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.run.RunPlan;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the whole status for each situation a test can be in. Each situation sets what is its own
 * (phase, reason, message, times, results, and the conditions it alone decides); {@link #complete}
 * fills every condition left unset from the phase, reason and message, and stamps each with the
 * generation it was decided for. The one place that knows what the status says.
 */
public final class StatusAggregator {
    /** Longest status message; the Events and the pairs' entries have the details. */
    static final int MAX_MESSAGE = 1024;

    private StatusAggregator() {
    }

    public static NeperTestStatus invalid(NeperTest test, NeperTestStatus previous, List<String> problems, Instant now) {
        String message = shorten(String.join("; ", problems));
        boolean refusedBefore = previous != null && previous.phase() == TestPhase.Failed
                && previous.completionTime() != null && Reason.InvalidSpec.name().equals(previous.reason());
        return complete(previous, now, NeperTestStatus.builder()
                .phase(TestPhase.Failed).reason(Reason.InvalidSpec).message(message)
                .completionTime(refusedBefore ? previous.completionTime() : now.toString())
                .observedGeneration(generation(test))
                .condition(TestConditions.INVALID_SPEC, true, Reason.InvalidSpec, message));
    }

    public static NeperTestStatus waiting(NeperTest test, NeperTestStatus previous, String blocker, String message,
                                          Instant now) {
        return complete(previous, now, NeperTestStatus.builder()
                .phase(TestPhase.Pending).reason(Reason.WaitingForNodes).message(message)
                .observedGeneration(generation(test)).waitingFor(blocker)
                .condition(TestConditions.WAITING_FOR_NODES, true, Reason.WaitingForNodes, message));
    }

    /** A run abandoned because its spec changed: back to Pending until the old pods are gone and the nodes are free. */
    public static NeperTestStatus restarting(NeperTest test, NeperTestStatus previous, String message, Instant now) {
        return complete(previous, now, NeperTestStatus.builder()
                .phase(TestPhase.Pending).reason(Reason.RunRestarted).message(message)
                .observedGeneration(generation(test))
                .condition(TestConditions.SPEC_CHANGED, true, Reason.RunRestarted, message));
    }

    public static NeperTestStatus run(NeperTest test, NeperTestStatus previous, RunPlan plan, Instant startTime,
                                      Instant now) {
        boolean ended = plan.phase().isTerminal();
        long ready = plan.pairs().stream().filter(p -> p.phase() != null
                && p.phase().ordinal() >= PairPhase.Ready.ordinal() && !p.phase().isTerminal()).count();
        String completion = !ended ? null
                : previous != null && previous.completionTime() != null && previous.phase() == plan.phase()
                ? previous.completionTime() : now.toString();
        return complete(previous, now, NeperTestStatus.builder()
                .phase(plan.phase()).reason(plan.reason()).message(shorten(plan.message()))
                .startTime(startTime.toString()).completionTime(completion)
                .observedGeneration(generation(test))
                .condition(TestConditions.SERVERS_READY, plan.clientsStarted(),
                        plan.clientsStarted() ? Reason.ServersReady : Reason.Started,
                        plan.clientsStarted() ? "every live pair's server listened on all its links"
                                : ready + " of " + plan.pairs().size() + " servers listen on all their links")
                .summary(summary(plan.pairs())).pairs(plan.pairs()));
    }

    /** An ended test whose spec was edited afterwards: the results stay, a condition says the edit was not run. */
    public static NeperTestStatus specChangedAfterEnd(NeperTest test, NeperTestStatus previous, Instant now) {
        long generation = generation(test);
        String message = "the spec changed to generation " + generation + " after the run of generation "
                + previous.observedGeneration() + " ended; a NeperTest runs once: create a new one to run again";
        return complete(previous, now, previous.toBuilder()
                .condition(TestConditions.SPEC_CHANGED, true, Reason.SpecChangeIgnored, message, generation));
    }

    /**
     * The one condition chain: every condition the draft sets stays as set; every other one is
     * filled from the draft's phase, reason and message (Complete and Passed from whether it ended and
     * how, the others False), SpecChanged carried over from {@code previous} once it was set; then each
     * is stamped with its generation and transition time.
     */
    static NeperTestStatus complete(NeperTestStatus previous, Instant now, NeperTestStatus.Builder builder) {
        NeperTestStatus draft = builder.build();
        List<Condition> before = previous == null ? List.of() : previous.conditionList();
        long generation = draft.observedGeneration() == null ? 0 : draft.observedGeneration();
        return draft.withConditions(Conditions.fill(List.of(TestConditions.COMPLETE, TestConditions.PASSED,
                TestConditions.SERVERS_READY, TestConditions.WAITING_FOR_NODES, TestConditions.INVALID_SPEC,
                TestConditions.SPEC_CHANGED), draft.conditionList(), before, generation, now,
                type -> filled(type, draft, before)));
    }

    private static Condition filled(String type, NeperTestStatus draft, List<Condition> before) {
        boolean ended = draft.phase().isTerminal();
        Reason reason = Reason.parse(draft.reason(), Reason.Accepted);
        return switch (type) {
            case TestConditions.COMPLETE -> decided(type, ended, reason, ended ? draft.message()
                    : draft.phase() == TestPhase.Pending ? "the test has not started" : "the test is " + draft.phase());
            case TestConditions.PASSED -> decided(type, ended ? draft.phase() == TestPhase.Succeeded : null, reason,
                    ended ? draft.message() : "");
            case TestConditions.INVALID_SPEC -> decided(type, false, Reason.Accepted, "");
            case TestConditions.SPEC_CHANGED -> Conditions.find(before, type);
            default -> decided(type, false, reason, "");
        };
    }

    private static Condition decided(String type, Boolean status, Reason reason, String message) {
        return ConditionedStatus.decided(type, status, reason, message, null);
    }

    public static TestSummary summary(List<PairStatus> pairs) {
        int total = 0;
        int passed = 0;
        int failed = 0;
        List<Double> gbps = new ArrayList<>();
        for (PairStatus pair : pairs) {
            for (LinkResult link : pair.links()) {
                total++;
                if (link.verdict() == LinkVerdict.Passed) {
                    passed++;
                } else if (link.verdict() == LinkVerdict.Failed) {
                    failed++;
                }
                if (link.gbps() != null) {
                    gbps.add(link.gbps());
                }
            }
        }
        gbps.sort(Double::compare);
        Double min = gbps.isEmpty() ? null : gbps.getFirst();
        Double max = gbps.isEmpty() ? null : gbps.getLast();
        Double median = gbps.isEmpty() ? null : gbps.size() % 2 == 1 ? gbps.get(gbps.size() / 2)
                : Math.round((gbps.get(gbps.size() / 2 - 1) + gbps.get(gbps.size() / 2)) * 50.0) / 100.0;
        return new TestSummary(passed + "/" + total, passed, failed, total, min, median, max);
    }

    private static long generation(NeperTest test) {
        Long generation = test.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
