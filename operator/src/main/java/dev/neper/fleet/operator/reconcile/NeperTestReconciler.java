package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.PodSettings.KeepPods;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.operator.config.OperatorConfig;
import dev.neper.fleet.operator.events.Reason;
import dev.neper.fleet.operator.events.TestEvents;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.exclusion.TestNodes;
import dev.neper.fleet.operator.metrics.TestMetrics;
import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.operator.observe.TestObservation;
import dev.neper.fleet.operator.pods.ClientPod;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.pods.PodWriter;
import dev.neper.fleet.operator.pods.ServerPod;
import dev.neper.fleet.operator.run.PairInputs;
import dev.neper.fleet.operator.run.RunClock;
import dev.neper.fleet.operator.run.RunPlan;
import dev.neper.fleet.operator.run.RunPlanner;
import dev.neper.fleet.operator.status.StatusAggregator;
import dev.neper.fleet.operator.status.StatusWrites;
import dev.neper.fleet.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs NeperTests in three steps per reconcile, as the Flink operator does: observe (the test's
 * pods and nodes), validate (the spec, before anything is scheduled), reconcile (create the pods the
 * run needs next, stop the ones it no longer needs, write the status). The run's decisions are pure
 * functions ({@link RunPlanner}); this class carries them out.
 *
 * <p>Edits: a spec edited while the test waits or was refused as invalid is simply used; edited
 * while it runs, the run is abandoned (its pods deleted) and the test starts again with the new
 * spec; edited after it ended, nothing runs and a SpecChanged condition says so.
 *
 * <p>Evidence first: pods are deleted only once the status that explains why is written, so a
 * restart of the operator never loses a failure's reason.
 */
@ControllerConfiguration(name = NeperTestReconciler.NAME)
public class NeperTestReconciler implements Reconciler<NeperTest>, Cleaner<NeperTest> {
    public static final String NAME = "nepertest";
    static final String NODE_INDEX = "nodes";
    /** Longest wait between two looks at a running test even when no event comes: a safety net. */
    static final Duration MAX_RESCHEDULE = Duration.ofSeconds(30);
    /** How soon to look again while pods are being deleted. */
    static final Duration DELETION_POLL = Duration.ofSeconds(1);
    /** How soon to come back after a write that ends a pair or the test. */
    static final Duration FOLLOW_UP = Duration.ofMillis(100);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final NodeLeases leases;
    private final StatusWrites writes;
    private final TestEvents events;
    private final TestMetrics metrics;
    private final Clock clock;

    private volatile InformerEventSource<Pod, NeperTest> podSource;
    private volatile InformerEventSource<Node, NeperTest> nodeSource;
    private volatile SimpleInboundEventSource<NeperTest> wakeups;
    private volatile PodWriter podWriter;

    public NeperTestReconciler(KubernetesClient client, OperatorConfig config, NodeLeases leases, StatusWrites writes,
                               TestEvents events, TestMetrics metrics, Clock clock) {
        this.client = client;
        this.config = config;
        this.leases = leases;
        this.writes = writes;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, NeperTest>> prepareEventSources(EventSourceContext<NeperTest> context) {
        context.getPrimaryCache().addIndexer(NODE_INDEX, TestNodes::list);
        podSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, NeperTest.class)
                .withName("runner-pods")
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .build(), context);
        nodeSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, NeperTest.class)
                .withName("nodes")
                // nodes are cluster-scoped: one informer, not one per watched namespace (whose cache would miss them)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache()
                        .byIndex(NODE_INDEX, node.getMetadata().getName()).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        wakeups = new SimpleInboundEventSource<>("node-releases");
        podWriter = new PodWriter(client, podSource, metrics);
        return List.of(podSource, nodeSource, wakeups);
    }

    @Override
    public UpdateControl<NeperTest> reconcile(NeperTest test, Context<NeperTest> context) {
        long begin = System.nanoTime();
        try {
            return step(test, context);
        } finally {
            metrics.reconciled(Duration.ofNanos(System.nanoTime() - begin));
        }
    }

    private UpdateControl<NeperTest> step(NeperTest test, Context<NeperTest> context) {
        Instant now = clock.instant();
        NeperTestStatus persisted = test.getStatus();
        TestPhase phase = persisted == null ? null : persisted.phase();
        long generation = test.getMetadata().getGeneration();
        boolean started = phase != null && (phase.isActive() || phase.isTerminal());
        long runGeneration = started && persisted.observedGeneration() != null ? persisted.observedGeneration() : generation;
        TestObservation observed = observe(test, context, runGeneration);

        if (phase != null && phase.isActive() && runGeneration != generation) {
            return restart(test, persisted, observed, now);
        }
        boolean refusedThenEdited = phase == TestPhase.Failed && Reason.InvalidSpec.name().equals(persisted.reason())
                && runGeneration != generation;
        if (phase != null && phase.isTerminal() && !refusedThenEdited) {
            return ended(test, persisted, observed, now);
        }
        if (phase == null || !phase.isActive()) {
            return start(test, context, persisted, observed, now);
        }
        leases.hold(test);
        return run(test, persisted, observed, Instant.parse(persisted.startTime()), now);
    }

    // ---- observe

    private TestObservation observe(NeperTest test, Context<NeperTest> context, long runGeneration) {
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        return TestObservation.of(pods, runGeneration, TestNodes.of(test), this::nodeExists);
    }

    /** The node cache may lag behind a node just added; a miss is confirmed with the API server before it counts. */
    private boolean nodeExists(String node) {
        return nodeSource.get(new ResourceID(node)).isPresent() || client.nodes().withName(node).get() != null;
    }

    // ---- validate, then wait for the nodes

    private UpdateControl<NeperTest> start(NeperTest test, Context<NeperTest> context, NeperTestStatus persisted,
                                           TestObservation observed, Instant now) {
        if (!observed.all().isEmpty()) {
            // pods of an abandoned run: the new run starts once they are gone and their ports free
            podWriter.delete(observed.all().stream().map(ObservedPod::pod).toList());
            return UpdateControl.<NeperTest>noUpdate().rescheduleAfter(DELETION_POLL);
        }
        List<String> problems = SpecValidator.validate(test);
        if (!problems.isEmpty()) {
            leases.forget(ResourceID.fromResource(test));
            return write(test, persisted, StatusAggregator.invalid(test, persisted, problems, now), now, null);
        }
        Optional<NodeLeases.Blocker> blocker = leases.tryAcquire(test, context.getPrimaryCache().list());
        if (blocker.isPresent()) {
            NodeLeases.Blocker b = blocker.get();
            String message = "waiting for NeperTest " + b.testName() + ", which uses node"
                    + (b.nodes().size() > 1 ? "s " : " ") + abbreviate(b.nodes());
            return write(test, persisted, StatusAggregator.waiting(test, persisted, b.testName(), message, now), now,
                    now.plus(config.waiting().pollInterval()));
        }
        return run(test, persisted, observed, now, now);
    }

    // ---- reconcile a started run

    private UpdateControl<NeperTest> run(NeperTest test, NeperTestStatus persisted, TestObservation observed,
                                         Instant startTime, Instant now) {
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
        RunClock runClock = new RunClock(now, startTime, TestTiming.of(spec));
        RunPlan plan = RunPlanner.plan(spec, inputs, runClock, clientsStarted);

        String image = config.runner().image();
        for (int pair : plan.createServers()) {
            podWriter.create(test, ServerPod.desired(test, pair, image));
        }
        for (int pair : plan.createClients()) {
            podWriter.create(test, ClientPod.desired(test, pair, image));
        }
        podWriter.delete(podsOfFailedPairs(previousPairs, observed));

        NeperTestStatus status = StatusAggregator.run(test, persisted, plan, startTime, now);
        return write(test, persisted, status, now, plan.wakeAt());
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

    // ---- after the end, and on edits during a run

    private UpdateControl<NeperTest> ended(NeperTest test, NeperTestStatus persisted, TestObservation observed,
                                           Instant now) {
        KeepPods keep = test.getSpec() == null ? KeepPods.OnFailure : test.getSpec().podsOrDefault().keepOrDefault();
        boolean deleteEnded = keep == KeepPods.Never || (keep == KeepPods.OnFailure && persisted.phase() == TestPhase.Succeeded);
        List<Pod> toDelete = observed.all().stream()
                .filter(p -> !p.state().isTerminated() || deleteEnded)
                .map(ObservedPod::pod).toList();
        podWriter.delete(toDelete);
        boolean podsRunning = !observed.live().isEmpty();
        if (!podsRunning) {
            wake(leases.release(ResourceID.fromResource(test)));
        }
        NeperTestStatus status = persisted;
        if (!Objects.equals(persisted.observedGeneration(), test.getMetadata().getGeneration())) {
            status = StatusAggregator.specChangedAfterEnd(test, persisted, now);
        }
        return write(test, persisted, status, now, podsRunning ? now.plus(DELETION_POLL) : null);
    }

    private UpdateControl<NeperTest> restart(NeperTest test, NeperTestStatus persisted, TestObservation observed,
                                             Instant now) {
        podWriter.delete(observed.all().stream().map(ObservedPod::pod).toList());
        if (!observed.all().isEmpty()) {
            return UpdateControl.<NeperTest>noUpdate().rescheduleAfter(DELETION_POLL);
        }
        wake(leases.release(ResourceID.fromResource(test)));
        metrics.forget(test.getMetadata().getUid());
        String message = "the spec changed from generation " + persisted.observedGeneration() + " to "
                + test.getMetadata().getGeneration() + " during the run: the run was stopped and starts again";
        return write(test, persisted, StatusAggregator.restarting(test, persisted, message, now), now, now);
    }

    // ---- the one status writer

    private UpdateControl<NeperTest> write(NeperTest test, NeperTestStatus persisted, NeperTestStatus status,
                                           Instant now, Instant wakeAt) {
        if (status.equals(persisted)) {
            return reschedule(UpdateControl.noUpdate(), now, wakeAt);
        }
        String uid = test.getMetadata().getUid();
        boolean phaseChanged = persisted == null || persisted.phase() != status.phase();
        Duration delay = writes.delayBeforeWrite(uid, phaseChanged, now);
        if (!delay.isZero()) {
            Instant retry = now.plus(delay);
            return reschedule(UpdateControl.noUpdate(), now, wakeAt == null || retry.isBefore(wakeAt) ? retry : wakeAt);
        }
        events.emit(test, TestEvents.transitions(persisted, status));
        if (status.phase() != null && status.phase().isTerminal()
                && (persisted == null || persisted.phase() == null || !persisted.phase().isTerminal())) {
            metrics.completed(status);
        }
        metrics.linkResults(test, status);
        writes.written(uid, now);
        metrics.statusWritten();
        test.setStatus(status);
        if (endsSomething(persisted, status)) {
            // pods to stop or delete wait for this write; come back as soon as it is done
            wakeAt = now.plus(FOLLOW_UP);
        }
        return reschedule(UpdateControl.patchStatus(test), now, wakeAt);
    }

    /** Whether this status newly ends the test or a pair, whose pods are handled once it is written. */
    private static boolean endsSomething(NeperTestStatus before, NeperTestStatus after) {
        if (after.phase() != null && after.phase().isTerminal()
                && (before == null || before.phase() == null || !before.phase().isTerminal())) {
            return true;
        }
        List<PairStatus> old = before == null ? List.of() : before.pairList();
        List<PairStatus> now = after.pairList();
        for (int i = 0; i < now.size(); i++) {
            boolean failedNow = now.get(i).phase() == PairPhase.Failed;
            boolean failedBefore = i < old.size() && old.get(i).phase() == PairPhase.Failed;
            if (failedNow && !failedBefore) {
                return true;
            }
        }
        return false;
    }

    private static UpdateControl<NeperTest> reschedule(UpdateControl<NeperTest> control, Instant now, Instant wakeAt) {
        if (wakeAt == null) {
            return control;
        }
        Duration delay = Duration.between(now, wakeAt).plusMillis(50);
        if (delay.compareTo(MAX_RESCHEDULE) > 0) {
            delay = MAX_RESCHEDULE;
        }
        return control.rescheduleAfter(delay.isNegative() ? Duration.ofMillis(50) : delay);
    }

    // ---- deletion

    @Override
    public DeleteControl cleanup(NeperTest test, Context<NeperTest> context) {
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        podWriter.delete(pods);
        if (!pods.isEmpty()) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETION_POLL);
        }
        ResourceID id = ResourceID.fromResource(test);
        wake(leases.forget(id));
        writes.forget(test.getMetadata().getUid());
        metrics.forget(test.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }

    private void wake(List<ResourceID> tests) {
        for (ResourceID id : tests) {
            wakeups.propagateEvent(id);
        }
    }

    private static String abbreviate(Set<String> nodes) {
        List<String> list = List.copyOf(nodes);
        return list.size() <= 3 ? String.join(", ", list)
                : String.join(", ", list.subList(0, 3)) + " and " + (list.size() - 3) + " more";
    }
}
