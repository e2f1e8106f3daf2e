package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.config.OperatorConfig;
import dev.neper.fleet.operator.events.EventRecorder;
import dev.neper.fleet.operator.exclusion.Claim;
import dev.neper.fleet.operator.exclusion.Holder;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.exclusion.TestNodes;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleettest.FleetObservation;
import dev.neper.fleet.operator.fleettest.FleetSpecChecks;
import dev.neper.fleet.operator.fleettest.FleetStage;
import dev.neper.fleet.operator.fleettest.FleetTestPlan;
import dev.neper.fleet.operator.fleettest.FleetTestPlanner;
import dev.neper.fleet.operator.fleettest.discovery.RunRecord;
import dev.neper.fleet.operator.fleettest.marking.MarkTarget;
import dev.neper.fleet.operator.fleettest.marking.MarkingContext;
import dev.neper.fleet.operator.fleettest.marking.NodeMarker;
import dev.neper.fleet.operator.fleettest.marking.NodeMarking;
import dev.neper.fleet.operator.fleettest.schedule.RunTrigger;
import dev.neper.fleet.operator.fleettest.status.FleetStatusPolicy;
import dev.neper.fleet.operator.fleettest.status.FleetTransition;
import dev.neper.fleet.operator.metrics.FleetMetrics;
import dev.neper.fleet.operator.plan.Admission;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.record.StatusRecorder;
import dev.neper.fleet.operator.record.StatusWrites;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs NeperFleetTests on the same machinery as NeperTests, in the same five steps: observe (the nodes the
 * selector matches, the run's discovery pods, child NeperTests and record), validate (a run about to start:
 * its spec, then whether its nodes are free), plan (the pure {@link FleetTestPlanner}), act (write the
 * record, create pods and children, delete what the plan says, hold or release the nodes), record (the
 * {@link StatusRecorder}, with the fleet's transitions: Events per faulty node and device). This class
 * decides nothing.
 *
 * <p>The run's child NeperTests are run by {@link NeperTestReconciler} like any other; they may use the
 * nodes their run holds, which no other test may meanwhile.
 */
@ControllerConfiguration(name = NeperFleetTestReconciler.NAME)
public class NeperFleetTestReconciler implements Reconciler<NeperFleetTest>, Cleaner<NeperFleetTest> {
    public static final String NAME = "neperfleettest";
    private static final Logger LOG = Logger.getLogger(NeperFleetTestReconciler.class);
    private static final String DISCOVERY_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + ","
            + FleetLabels.COMPONENT + "=" + FleetLabels.DISCOVERY;
    /** Writes in flight at once when a plan makes many objects. */
    static final int PARALLEL_WRITES = 16;
    private static final String RECORD_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + ","
            + FleetLabels.COMPONENT + "=" + FleetLabels.RECORD;

    private final KubernetesClient client;
    private final NodeLeases leases;
    private final FleetMetrics metrics;
    private final Clock clock;
    private final FleetTestPlanner planner;
    private final StatusRecorder<NeperFleetTest, NeperFleetTestStatus, FleetTransition> recorder;
    private final SecureRandom seeds = new SecureRandom();
    private final NodeMarker marker;
    /** Decoded records by ConfigMap uid: a record is immutable, and decoding one of 5,000 nodes takes a while. */
    private final Map<String, EligibleFleet> decoded = new ConcurrentHashMap<>();

    private volatile InformerEventSource<Pod, NeperFleetTest> podSource;
    private volatile InformerEventSource<NeperTest, NeperFleetTest> testSource;
    private volatile InformerEventSource<ConfigMap, NeperFleetTest> recordSource;
    private volatile InformerEventSource<Node, NeperFleetTest> nodeSource;
    private volatile InformerEventSource<NeperFleetTest, NeperFleetTest> annotationSource;

    public NeperFleetTestReconciler(KubernetesClient client, OperatorConfig config, NodeLeases leases,
                                    StatusWrites writes, EventRecorder events, FleetMetrics metrics, Clock clock) {
        this.client = client;
        this.leases = leases;
        this.metrics = metrics;
        this.clock = clock;
        this.planner = new FleetTestPlanner(config.runner().image(), config.waiting().pollInterval(), this::read);
        this.recorder = new StatusRecorder<>(new FleetStatusPolicy(metrics), writes, events);
        this.marker = new NodeMarker(client);
    }

    @Override
    public List<EventSource<?, NeperFleetTest>> prepareEventSources(EventSourceContext<NeperFleetTest> context) {
        podSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, NeperFleetTest.class)
                .withName("discovery-pods").withLabelSelector(DISCOVERY_SELECTOR).build(), context);
        // every NeperTest: the run's children are its secondaries; the others' claims on nodes are weighed at its start
        testSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(NeperTest.class, NeperFleetTest.class)
                .withName("nepertests")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(NeperFleetTest.class, false))
                .build(), context);
        recordSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, NeperFleetTest.class)
                .withName("run-records").withLabelSelector(RECORD_SELECTOR).build(), context);
        // nodes are cluster-scoped: one informer; a node's change wakes no run (discovery reads them when it starts);
        // a node gone from the cache was deleted: its series go from the metrics at once
        nodeSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, NeperFleetTest.class)
                .withName("fleet-nodes").withWatchAllNamespaces().withSecondaryToPrimaryMapper(node -> {
                    if (nodeSource.get(ResourceID.fromResource(node)).isEmpty()) {
                        metrics.nodeLeft(node.getMetadata().getName());
                    }
                    return Set.of();
                }).build(), context);
        // the run-now and reset annotations change no generation, which is all a primary's updates wake on
        annotationSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(NeperFleetTest.class,
                        NeperFleetTest.class).withName("fleet-annotations")
                .withSecondaryToPrimaryMapper(fleet -> Set.of(ResourceID.fromResource(fleet)))
                .withOnAddFilter(fleet -> false)
                .withOnUpdateFilter((before, after) -> !annotations(before).equals(annotations(after)))
                .build(), context);
        SimpleInboundEventSource<NeperFleetTest> wakeups = new SimpleInboundEventSource<>("fleet-node-releases");
        // a run deleted meanwhile is not woken: there is nothing left to reconcile
        leases.onRelease(HasMetadata.getKind(NeperFleetTest.class), id -> context.getPrimaryCache().get(id)
                .ifPresent(fleet -> wakeups.propagateEvent(id)));
        return List.of(podSource, testSource, recordSource, nodeSource, annotationSource, wakeups);
    }

    /** The annotations a person sets to act on a fleet test between runs. */
    private static List<String> annotations(NeperFleetTest fleet) {
        Map<String, String> annotations = fleet.getMetadata().getAnnotations() == null ? Map.of()
                : fleet.getMetadata().getAnnotations();
        return java.util.Arrays.asList(annotations.get(FleetSchedule.RUN_NOW), annotations.get(FleetMarking.RESET_BUDGET));
    }

    @Override
    public UpdateControl<NeperFleetTest> reconcile(NeperFleetTest fleet, Context<NeperFleetTest> context) {
        long begin = System.nanoTime();
        try {
            Instant now = clock.instant();
            RunTrigger trigger = RunTrigger.decide(fleet, now);
            FleetObservation observed = observe(fleet, context);
            FleetStage stage = planner.stage(fleet, trigger, observed, now);
            Admission admission = FleetTestPlanner.needsAdmission(fleet, stage, observed, trigger)
                    ? validate(fleet, observed, context) : Admission.NOT_ASKED;
            FleetTestPlan plan = planner.plan(fleet, stage, observed, admission, seeds.nextLong() >>> 1, trigger, now);
            if (LOG.isDebugEnabled()) {
                LOG.debugf("%s/%s at %s: %s, stage %s of run %s, %d pods %d children %d records observed: %s", namespace(fleet),
                        fleet.getMetadata().getName(), fleet.getMetadata().getResourceVersion(), trigger.kind(), stage.kind(),
                        stage.runId(), observed.pods().size(),
                        observed.children().size(), observed.records().size(), plan.describe());
            }
            act(fleet, plan, observed);
            if (stage.kind() == FleetStage.Kind.ENDED) {
                observed.records().forEach(this::forgetDecoded);
            }
            UpdateControl<NeperFleetTest> recorded = recorder.record(fleet, plan.status(), plan.wakeAt(), now);
            NeperFleetTestStatus status = plan.status();
            if (status != null && status.phase() != null && status.phase().isTerminal()) {
                metrics.ended(fleet, status, observed.children(status.runId()),
                        node -> nodeSource.get(new ResourceID(node)).isPresent());
            }
            return recorded;
        } finally {
            metrics.reconciled(Duration.ofNanos(System.nanoTime() - begin));
        }
    }

    @Override
    public ErrorStatusUpdateControl<NeperFleetTest> updateErrorStatus(NeperFleetTest fleet, Context<NeperFleetTest> context,
                                                                      Exception e) {
        return recorder.recordFailure(fleet, e, clock.instant());
    }

    private FleetObservation observe(NeperFleetTest fleet, Context<NeperFleetTest> context) {
        List<Node> selected = fleet.getSpec() == null || fleet.getSpec().nodes() == null ? List.of()
                : nodeSource.list().filter(n -> fleet.getSpec().nodes().selects(n.getMetadata().getLabels()))
                        .sorted(java.util.Comparator.comparing(n -> n.getMetadata().getName())).toList();
        return FleetObservation.of(selected, context.getSecondaryResources(Pod.class),
                context.getSecondaryResources(NeperTest.class), context.getSecondaryResources(ConfigMap.class));
    }

    /** The spec's problems, or else whether the run may have its nodes now (which takes them). */
    private Admission validate(NeperFleetTest fleet, FleetObservation observed, Context<NeperFleetTest> context) {
        List<String> problems = FleetSpecChecks.check(fleet);
        if (!problems.isEmpty()) {
            return Admission.refused(problems);
        }
        List<Node> nodes = nodeSource.list().toList();
        Stream<Claim> others = Stream.concat(testSource.list().map(Claim::of),
                context.getPrimaryCache().list().map(other -> Claim.of(other, TestNodes.of(other, nodes))));
        return Admission.of(leases.tryAcquire(Claim.of(fleet, TestNodes.of(fleet, observed.selected())), others));
    }

    private void act(NeperFleetTest fleet, FleetTestPlan plan, FleetObservation observed) {
        ResourceID id = ResourceID.fromResource(fleet);
        if (plan.record() != null) {
            ConfigMap created = create(plan.record(), () -> client.configMaps().inNamespace(namespace(fleet))
                    .resource(plan.record()).create());
            if (created != null) {
                recordSource.handleRecentResourceCreate(id, created);
                metrics.created("record");
            }
        }
        inParallel(plan.pods(), pod -> {
            Pod created = create(pod, () -> client.pods().inNamespace(namespace(fleet)).resource(pod).create());
            if (created != null) {
                podSource.handleRecentResourceCreate(id, created);
                metrics.created("discovery-pod");
            }
        });
        for (NeperTest child : plan.children()) {
            NeperTest created = create(child, () -> client.resources(NeperTest.class).inNamespace(namespace(fleet))
                    .resource(child).create());
            if (created != null) {
                testSource.handleRecentResourceCreate(id, created);
                metrics.created("nepertest");
            }
        }
        delete(plan.delete());
        if (plan.deleteDiscoveryPods() && observed.pods().stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null)) {
            deleteDiscoveryPods(fleet);
        }
        // a fleet's nodes are marked 16 at a time too: after a run every tested node's marks change
        inParallel(plan.marks(), marks -> marker.apply(marks.node(), marks.change()));
        switch (plan.leases()) {
            case KEEP -> { }
            case HOLD -> leases.hold(Claim.of(fleet, TestNodes.of(fleet, observed.selected())));
            case RELEASE -> leases.release(Holder.of(fleet));
            case FORGET -> leases.forget(Holder.of(fleet));
        }
    }

    /**
     * Runs {@code write} for each item, {@link #PARALLEL_WRITES} at a time: a fleet's discovery pods are one
     * per node, and one request after another would take minutes at 5,000 nodes. The first failure is
     * thrown once every write ended (what was created is in the cache; the retry creates the rest).
     */
    private static <T> void inParallel(List<T> items, java.util.function.Consumer<T> write) {
        if (items.size() <= 1) {
            items.forEach(write);
            return;
        }
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(Math.min(PARALLEL_WRITES, items.size()),
                Thread.ofVirtual().name("fleet-write-", 0).factory())) {
            List<java.util.concurrent.Future<?>> writes = items.stream()
                    .<java.util.concurrent.Future<?>>map(item -> executor.submit(() -> write.accept(item))).toList();
            RuntimeException first = null;
            for (var future : writes) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    first = first != null ? first : e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while writing to the API", e);
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** Creates an object; one that exists already (made by a reconcile the cache has not caught up with) is fine. */
    private static <T extends HasMetadata> T create(T object, java.util.function.Supplier<T> create) {
        try {
            return create.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return null;
        }
    }

    private void delete(Collection<? extends HasMetadata> objects) {
        for (HasMetadata object : objects) {
            if (object.getMetadata().getDeletionTimestamp() == null) {
                client.resource(object).inNamespace(object.getMetadata().getNamespace()).delete();
            }
        }
    }

    /** Every discovery pod of the fleet test, in one request (a collection delete by label), however many nodes. */
    private void deleteDiscoveryPods(NeperFleetTest fleet) {
        client.pods().inNamespace(namespace(fleet)).withLabel(FleetLabels.COMPONENT, FleetLabels.DISCOVERY)
                .withLabel(FleetLabels.FLEET_TEST, fleet.getMetadata().getName()).delete();
    }

    private EligibleFleet read(ConfigMap record) {
        return decoded.computeIfAbsent(key(record), uid -> RunRecord.read(record));
    }

    private void forgetDecoded(ConfigMap record) {
        decoded.remove(key(record));
    }

    private static String key(ConfigMap record) {
        return record.getMetadata().getNamespace() + "/" + record.getMetadata().getName() + "/"
                + record.getMetadata().getUid();
    }

    /**
     * Deleting a fleet test deletes what its runs made (a cluster's garbage collector would too, from the
     * owner references; the operator does not wait for it): children first, whose own finalizers stop their
     * pods, then discovery pods and records; the finalizer goes once they are gone.
     */
    @Override
    public DeleteControl cleanup(NeperFleetTest fleet, Context<NeperFleetTest> context) {
        List<HasMetadata> remaining = new ArrayList<>();
        remaining.addAll(context.getSecondaryResources(NeperTest.class));
        Set<ConfigMap> records = context.getSecondaryResources(ConfigMap.class);
        records.forEach(this::forgetDecoded);
        remaining.addAll(records);
        delete(remaining);
        Set<Pod> pods = context.getSecondaryResources(Pod.class);
        if (pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null)) {
            deleteDiscoveryPods(fleet);
        }
        remaining.addAll(pods);
        clearMarks(fleet);
        if (!remaining.isEmpty()) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(FleetTestPlanner.DELETION_POLL);
        }
        leases.forget(Holder.of(fleet));
        recorder.forget(fleet);
        metrics.forget(fleet.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }

    /** Every mark this fleet test set, on any node (its selection may have changed since): the test is going. */
    private void clearMarks(NeperFleetTest fleet) {
        MarkingContext context = MarkingContext.of(fleet, "", clock.instant());
        nodeSource.list().forEach(node -> NodeMarking.change(node, context, new MarkTarget.ClearAll(), clock.instant())
                .ifPresent(change -> marker.apply(node, change)));
    }

    private static String namespace(NeperFleetTest fleet) {
        return fleet.getMetadata().getNamespace();
    }
}
