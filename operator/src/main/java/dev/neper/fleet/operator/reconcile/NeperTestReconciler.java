package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.config.OperatorConfig;
import dev.neper.fleet.operator.events.EventRecorder;
import dev.neper.fleet.operator.exclusion.Claim;
import dev.neper.fleet.operator.exclusion.Holder;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.exclusion.TestNodes;
import dev.neper.fleet.operator.metrics.TestMetrics;
import dev.neper.fleet.operator.observe.TestObservation;
import dev.neper.fleet.operator.plan.Admission;
import dev.neper.fleet.operator.plan.TestPlan;
import dev.neper.fleet.operator.plan.TestPlanner;
import dev.neper.fleet.operator.plan.TestStage;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.pods.PodWriter;
import dev.neper.fleet.operator.record.StatusRecorder;
import dev.neper.fleet.operator.record.StatusWrites;
import dev.neper.fleet.operator.status.TestStatusPolicy;
import dev.neper.fleet.operator.status.TestTransition;
import dev.neper.fleet.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs NeperTests. Each reconcile is five steps, as in the Flink operator: observe (the test's pods
 * and nodes), validate (a test about to start: its spec, then whether its nodes are free), plan (the
 * pure {@link TestPlanner}: pods to create and delete, the hold on the nodes, the status), act (carry
 * the plan out), record (the {@link StatusRecorder}: one transition from the status last written, from
 * which the status write, Events, metrics and the next reconcile follow). This class decides nothing.
 *
 * <p>A reconcile that fails (the API refuses or does not answer) is retried by JOSDK with backoff,
 * without limit; its cause goes into the status's ReconcileError condition as soon as the API takes it.
 */
@ControllerConfiguration(name = NeperTestReconciler.NAME)
public class NeperTestReconciler implements Reconciler<NeperTest>, Cleaner<NeperTest> {
    public static final String NAME = "nepertest";
    static final String NODE_INDEX = "nodes";

    private final KubernetesClient client;
    private final NodeLeases leases;
    private final TestMetrics metrics;
    private final Clock clock;
    private final TestPlanner planner;
    private final StatusRecorder<NeperTest, NeperTestStatus, TestTransition> recorder;

    private volatile InformerEventSource<Node, NeperTest> nodeSource;
    private volatile InformerEventSource<NeperFleetTest, NeperTest> fleetSource;
    private volatile SimpleInboundEventSource<NeperTest> wakeups;
    private volatile PodWriter podWriter;

    public NeperTestReconciler(KubernetesClient client, OperatorConfig config, NodeLeases leases, StatusWrites writes,
                               EventRecorder events, TestMetrics metrics, Clock clock) {
        this.client = client;
        this.leases = leases;
        this.metrics = metrics;
        this.clock = clock;
        this.planner = new TestPlanner(config.runner().image(), config.waiting().pollInterval());
        this.recorder = new StatusRecorder<>(new TestStatusPolicy(metrics), writes, events);
    }

    @Override
    public List<EventSource<?, NeperTest>> prepareEventSources(EventSourceContext<NeperTest> context) {
        context.getPrimaryCache().addIndexer(NODE_INDEX, TestNodes::list);
        InformerEventSource<Pod, NeperTest> podSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, NeperTest.class)
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
        // fleet runs claim nodes too: their claims are weighed against a test's; a change to one wakes no test
        fleetSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(NeperFleetTest.class, NeperTest.class)
                .withName("fleet-runs")
                .withSecondaryToPrimaryMapper(fleet -> Set.of())
                .build(), context);
        wakeups = new SimpleInboundEventSource<>("node-releases");
        // a test deleted meanwhile is not woken: there is nothing left to reconcile
        leases.onRelease(HasMetadata.getKind(NeperTest.class), id -> context.getPrimaryCache().get(id)
                .ifPresent(test -> wakeups.propagateEvent(id)));
        podWriter = new PodWriter(client, podSource, metrics);
        return List.of(podSource, nodeSource, fleetSource, wakeups);
    }

    @Override
    public UpdateControl<NeperTest> reconcile(NeperTest test, Context<NeperTest> context) {
        long begin = System.nanoTime();
        try {
            Instant now = clock.instant();
            TestStage stage = TestStage.of(test);
            TestObservation observed = observe(test, context, stage);
            Admission admission = TestPlanner.needsAdmission(stage, observed) ? validate(test, context) : Admission.NOT_ASKED;
            TestPlan plan = planner.plan(test, stage, observed, admission, now);
            act(test, plan);
            return recorder.record(test, plan.status(), plan.wakeAt(), now);
        } finally {
            metrics.reconciled(Duration.ofNanos(System.nanoTime() - begin));
        }
    }

    @Override
    public ErrorStatusUpdateControl<NeperTest> updateErrorStatus(NeperTest test, Context<NeperTest> context, Exception e) {
        return recorder.recordFailure(test, e, clock.instant());
    }

    private TestObservation observe(NeperTest test, Context<NeperTest> context, TestStage stage) {
        return TestObservation.of(context.getSecondaryResources(Pod.class), stage.runGeneration(), TestNodes.of(test),
                this::nodeExists);
    }

    /** The node cache may lag behind a node just added; a miss is confirmed with the API server before it counts. */
    private boolean nodeExists(String node) {
        return nodeSource.get(new ResourceID(node)).isPresent() || client.nodes().withName(node).get() != null;
    }

    /** The spec's problems, or else whether the test may have its nodes now (which takes them). */
    private Admission validate(NeperTest test, Context<NeperTest> context) {
        List<String> problems = SpecValidator.validate(test);
        if (!problems.isEmpty()) {
            return Admission.refused(problems);
        }
        List<Node> nodes = nodeSource.list().toList();
        Stream<Claim> others = Stream.concat(context.getPrimaryCache().list().map(Claim::of),
                fleetSource.list().map(fleet -> Claim.of(fleet, TestNodes.of(fleet, nodes))));
        return Admission.of(leases.tryAcquire(Claim.of(test), others));
    }

    private void act(NeperTest test, TestPlan plan) {
        for (Pod pod : plan.create()) {
            podWriter.create(test, pod);
        }
        podWriter.delete(plan.delete());
        switch (plan.leases()) {
            case KEEP -> { }
            case HOLD -> leases.hold(Claim.of(test));
            case RELEASE -> leases.release(Holder.of(test));
            case FORGET -> leases.forget(Holder.of(test));
        }
    }

    @Override
    public DeleteControl cleanup(NeperTest test, Context<NeperTest> context) {
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        podWriter.delete(pods);
        if (!pods.isEmpty()) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(TestPlanner.DELETION_POLL);
        }
        leases.forget(Holder.of(test));
        recorder.forget(test);
        metrics.forget(test.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }
}
