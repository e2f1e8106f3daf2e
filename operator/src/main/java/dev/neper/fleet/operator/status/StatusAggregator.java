package dev.neper.fleet.operator.status;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.TestSummary;
import dev.neper.fleet.operator.events.Reason;
import dev.neper.fleet.operator.run.RunPlan;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the whole status for each situation a test can be in, with its conditions (each carrying
 * the generation it was computed for) and summary. The one place that knows what the status says.
 */
public final class StatusAggregator {
    /** Longest status message; the Events and the pairs' entries have the details. */
    static final int MAX_MESSAGE = 1024;

    private StatusAggregator() {
    }

    public static NeperTestStatus invalid(NeperTest test, NeperTestStatus previous, List<String> problems, Instant now) {
        long generation = generation(test);
        String message = shorten(String.join("; ", problems));
        List<Condition> conditions = new Conditions(conditionsOf(previous), generation, now)
                .set(Conditions.COMPLETE, true, Reason.InvalidSpec.name(), "the spec cannot run; nothing was scheduled")
                .set(Conditions.PASSED, false, Reason.InvalidSpec.name(), message)
                .set(Conditions.INVALID_SPEC, true, Reason.InvalidSpec.name(), message)
                .set(Conditions.WAITING_FOR_NODES, false, Reason.InvalidSpec.name(), "")
                .build();
        String completion = previous != null && previous.phase() == TestPhase.Failed && previous.completionTime() != null
                && Reason.InvalidSpec.name().equals(previous.reason()) ? previous.completionTime() : now.toString();
        return new NeperTestStatus(TestPhase.Failed, Reason.InvalidSpec.name(), message, null, completion, generation,
                null, conditions, null, null);
    }

    public static NeperTestStatus waiting(NeperTest test, NeperTestStatus previous, String blocker, String message,
                                          Instant now) {
        long generation = generation(test);
        List<Condition> conditions = new Conditions(conditionsOf(previous), generation, now)
                .set(Conditions.COMPLETE, false, Reason.WaitingForNodes.name(), "the test has not started")
                .set(Conditions.PASSED, null, Reason.WaitingForNodes.name(), "")
                .set(Conditions.INVALID_SPEC, false, Reason.Accepted.name(), "")
                .set(Conditions.WAITING_FOR_NODES, true, Reason.WaitingForNodes.name(), message)
                .build();
        return new NeperTestStatus(TestPhase.Pending, Reason.WaitingForNodes.name(), message, null, null, generation,
                blocker, conditions, null, null);
    }

    /** A run abandoned because its spec changed: back to Pending until the old pods are gone and the nodes are free. */
    public static NeperTestStatus restarting(NeperTest test, NeperTestStatus previous, String message, Instant now) {
        long generation = generation(test);
        List<Condition> conditions = new Conditions(conditionsOf(previous), generation, now)
                .set(Conditions.COMPLETE, false, Reason.RunRestarted.name(), "the test restarts with the new spec")
                .set(Conditions.PASSED, null, Reason.RunRestarted.name(), "")
                .set(Conditions.INVALID_SPEC, false, Reason.Accepted.name(), "")
                .set(Conditions.WAITING_FOR_NODES, false, Reason.RunRestarted.name(), "")
                .set(Conditions.SPEC_CHANGED, true, Reason.RunRestarted.name(), message)
                .build();
        return new NeperTestStatus(TestPhase.Pending, Reason.RunRestarted.name(), message, null, null, generation,
                null, conditions, null, null);
    }

    public static NeperTestStatus run(NeperTest test, NeperTestStatus previous, RunPlan plan, Instant startTime,
                                      Instant now) {
        long generation = generation(test);
        boolean ended = plan.phase().isTerminal();
        String message = shorten(plan.message());
        long ready = plan.pairs().stream().filter(p -> p.phase() != null && p.phase().ordinal()
                >= dev.neper.fleet.operator.api.PairPhase.Ready.ordinal() && !p.phase().isTerminal()).count();
        Conditions conditions = new Conditions(conditionsOf(previous), generation, now)
                .set(Conditions.COMPLETE, ended, plan.reason().name(), ended ? message : "the test is " + plan.phase())
                .set(Conditions.PASSED, ended ? plan.phase() == TestPhase.Succeeded : null, plan.reason().name(),
                        ended ? message : "")
                .set(Conditions.SERVERS_READY, plan.clientsStarted(), plan.clientsStarted()
                        ? Reason.ServersReady.name() : Reason.Started.name(), plan.clientsStarted()
                        ? "every live pair's server listened on all its links" : ready + " of " + plan.pairs().size()
                        + " servers listen on all their links")
                .set(Conditions.INVALID_SPEC, false, Reason.Accepted.name(), "")
                .set(Conditions.WAITING_FOR_NODES, false, Reason.Started.name(), "");
        Condition specChanged = Conditions.find(conditionsOf(previous), Conditions.SPEC_CHANGED);
        List<Condition> list = new ArrayList<>(conditions.build());
        if (specChanged != null) {
            list.add(specChanged);
        }
        String completion = !ended ? null
                : previous != null && previous.completionTime() != null && previous.phase() == plan.phase()
                ? previous.completionTime() : now.toString();
        return new NeperTestStatus(plan.phase(), plan.reason().name(), message, startTime.toString(), completion,
                generation, null, List.copyOf(list), summary(plan.pairs()), plan.pairs());
    }

    /** An ended test whose spec was edited afterwards: the results stay, a condition says the edit was not run. */
    public static NeperTestStatus specChangedAfterEnd(NeperTest test, NeperTestStatus previous, Instant now) {
        long generation = generation(test);
        String message = "the spec changed to generation " + generation + " after the run of generation "
                + previous.observedGeneration() + " ended; a NeperTest runs once: create a new one to run again";
        List<Condition> kept = new ArrayList<>(conditionsOf(previous).stream()
                .filter(c -> !Conditions.SPEC_CHANGED.equals(c.getType())).toList());
        kept.addAll(new Conditions(conditionsOf(previous), generation, now)
                .set(Conditions.SPEC_CHANGED, true, Reason.SpecChangeIgnored.name(), message).build());
        return new NeperTestStatus(previous.phase(), previous.reason(), previous.message(), previous.startTime(),
                previous.completionTime(), previous.observedGeneration(), null, List.copyOf(kept), previous.summary(),
                previous.pairs());
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

    private static List<Condition> conditionsOf(NeperTestStatus status) {
        return status == null ? List.of() : status.conditionList();
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
