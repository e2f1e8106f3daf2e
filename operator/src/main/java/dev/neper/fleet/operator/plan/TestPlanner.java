package dev.neper.fleet.operator.plan;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.PodSettings.KeepPods;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.operator.observe.TestObservation;
import dev.neper.fleet.operator.plan.TestPlan.Leases;
import dev.neper.fleet.operator.pods.ClientPod;
import dev.neper.fleet.operator.pods.ServerPod;
import dev.neper.fleet.operator.run.PairInputs;
import dev.neper.fleet.operator.run.RunClock;
import dev.neper.fleet.operator.run.RunPlan;
import dev.neper.fleet.operator.run.RunPlanner;
import dev.neper.fleet.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The test-level decisions, a pure function of the test, what was observed and what validation
 * answered: which stage applies, when a run restarts or ends, which pods to create and to delete, what
 * becomes of the test's hold on its nodes, the status to record and when to look again. A started
 * run's pair-by-pair steps are {@link RunPlanner}'s.
 *
 * <p>Evidence first: the pods it deletes are those whose reason is already in the status last written
 * (a failed pair's, an ended test's), so an operator restart never loses a failure's reason.
 */
public final class TestPlanner {
    /** How soon to look again while pods are being deleted. */
    public static final Duration DELETION_POLL = Duration.ofSeconds(1);

    private final String defaultImage;
    private final Duration waitingPoll;

    /**
     * @param defaultImage the runner image of tests that name none
     * @param waitingPoll how often a test waiting for another test's nodes looks again
     */
    public TestPlanner(String defaultImage, Duration waitingPoll) {
        this.defaultImage = defaultImage;
        this.waitingPoll = waitingPoll;
    }

    /** Whether the validate step (spec checks, then the node leases) is to be asked: a test about to start. */
    public static boolean needsAdmission(TestStage stage, TestObservation observed) {
        return stage.kind() == TestStage.Kind.START && observed.all().isEmpty();
    }

    public TestPlan plan(NeperTest test, TestStage stage, TestObservation observed, Admission admission, Instant now) {
        NeperTestStatus persisted = test.getStatus();
        return switch (stage.kind()) {
            case START -> start(test, persisted, observed, admission, now);
            case RUN -> run(test, persisted, observed, Instant.parse(persisted.startTime()), Leases.HOLD, now);
            case RESTART -> restart(test, persisted, observed, now);
            case ENDED -> ended(test, persisted, observed, now);
        };
    }

    private TestPlan start(NeperTest test, NeperTestStatus persisted, TestObservation observed, Admission admission,
                           Instant now) {
        if (!observed.all().isEmpty()) {
            // pods of an abandoned run: the new run starts once they are gone and their ports free
            return new TestPlan(List.of(), pods(observed.all()), Leases.KEEP, persisted, now.plus(DELETION_POLL));
        }
        if (!admission.problems().isEmpty()) {
            return new TestPlan(List.of(), List.of(), Leases.FORGET,
                    StatusAggregator.invalid(test, persisted, admission.problems(), now), null);
        }
        if (admission.blocker().isPresent()) {
            NodeLeases.Blocker blocker = admission.blocker().get();
            String message = "waiting for " + blocker.describe() + ", which uses node"
                    + (blocker.nodes().size() > 1 ? "s " : " ") + abbreviate(blocker.nodes());
            return new TestPlan(List.of(), List.of(), Leases.KEEP,
                    StatusAggregator.waiting(test, persisted, blocker.testName(), message, now), now.plus(waitingPoll));
        }
        return run(test, persisted, observed, now, Leases.KEEP, now);
    }

    private TestPlan run(NeperTest test, NeperTestStatus persisted, TestObservation observed, Instant startTime,
                         Leases leases, Instant now) {
        NeperTestSpec spec = test.getSpec();
        boolean sameRun = persisted != null && persisted.phase() != null && persisted.phase().isActive();
        List<PairStatus> previousPairs = sameRun ? persisted.pairList() : List.of();
        boolean clientsStarted = (sameRun && persisted.phase() == TestPhase.Running) || observed.anyClient();

        List<PairInputs> inputs = new ArrayList<>();
        for (int i = 0; i < spec.pairList().size(); i++) {
            var pair = spec.pairList().get(i);
            inputs.add(new PairInputs(i, pair, i < previousPairs.size() ? previousPairs.get(i) : null,
                    observed.servers().get(i), observed.clients().get(i),
                    !observed.missingNodes().contains(pair.server().node()),
                    !observed.missingNodes().contains(pair.client().node())));
        }
        RunPlan plan = RunPlanner.plan(spec, inputs, new RunClock(now, startTime, TestTiming.of(spec)), clientsStarted);

        List<Pod> create = new ArrayList<>();
        for (int pair : plan.createServers()) {
            create.add(ServerPod.desired(test, pair, defaultImage));
        }
        for (int pair : plan.createClients()) {
            create.add(ClientPod.desired(test, pair, defaultImage));
        }
        return new TestPlan(create, podsOfFailedPairs(previousPairs, observed), leases,
                StatusAggregator.run(test, persisted, plan, startTime, now), plan.wakeAt());
    }

    /** Live pods of pairs whose failure is already written: stopping them loses nothing. */
    private static List<Pod> podsOfFailedPairs(List<PairStatus> persistedPairs, TestObservation observed) {
        List<Pod> stop = new ArrayList<>();
        for (int i = 0; i < persistedPairs.size(); i++) {
            if (persistedPairs.get(i).phase() != PairPhase.Failed) {
                continue;
            }
            for (Map<Integer, ObservedPod> byPair : List.of(observed.servers(), observed.clients())) {
                ObservedPod pod = byPair.get(i);
                if (pod != null && !pod.state().isTerminated()) {
                    stop.add(pod.pod());
                }
            }
        }
        return stop;
    }

    /**
     * After the end: runners still going are stopped; ended pods are deleted or kept for their logs
     * (spec.pods.keep); the nodes stay the test's until its pods have stopped.
     */
    private static TestPlan ended(NeperTest test, NeperTestStatus persisted, TestObservation observed, Instant now) {
        KeepPods keep = test.getSpec() == null ? KeepPods.OnFailure : test.getSpec().podsOrDefault().keepOrDefault();
        boolean deleteEnded = keep == KeepPods.Never || (keep == KeepPods.OnFailure && persisted.phase() == TestPhase.Succeeded);
        List<Pod> delete = observed.all().stream()
                .filter(p -> !p.state().isTerminated() || deleteEnded)
                .map(ObservedPod::pod).toList();
        boolean podsRunning = !observed.live().isEmpty();
        NeperTestStatus status = Objects.equals(persisted.observedGeneration(), test.getMetadata().getGeneration())
                ? persisted : StatusAggregator.specChangedAfterEnd(test, persisted, now);
        return new TestPlan(List.of(), delete, podsRunning ? Leases.HOLD : Leases.RELEASE, status,
                podsRunning ? now.plus(DELETION_POLL) : null);
    }

    /** The spec changed during the run: every pod goes, then the test is Pending again with the new spec. */
    private static TestPlan restart(NeperTest test, NeperTestStatus persisted, TestObservation observed, Instant now) {
        if (!observed.all().isEmpty()) {
            return new TestPlan(List.of(), pods(observed.all()), Leases.KEEP, persisted, now.plus(DELETION_POLL));
        }
        String message = "the spec changed from generation " + persisted.observedGeneration() + " to "
                + test.getMetadata().getGeneration() + " during the run: the run was stopped and starts again";
        return new TestPlan(List.of(), List.of(), Leases.RELEASE,
                StatusAggregator.restarting(test, persisted, message, now), now);
    }

    private static List<Pod> pods(List<ObservedPod> observed) {
        return observed.stream().map(ObservedPod::pod).toList();
    }

    private static String abbreviate(Set<String> nodes) {
        List<String> list = List.copyOf(nodes);
        return list.size() <= 3 ? String.join(", ", list)
                : String.join(", ", list.subList(0, 3)) + " and " + (list.size() - 3) + " more";
    }
}
