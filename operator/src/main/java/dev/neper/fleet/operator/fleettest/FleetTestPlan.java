package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.plan.TestPlan.Leases;
import io.fabric8.kubernetes.api.model.ConfigMap;
import dev.neper.fleet.operator.fleettest.marking.NodeChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.List;

/**
 * What one reconcile decided for a fleet run, for the reconciler to carry out: the record to write
 * (before the status that names it), discovery pods and child NeperTests to create, what to delete (its
 * discovery pods all at once, in one request however many nodes: {@code deleteDiscoveryPods}), the run's
 * hold on its nodes, the status to record and when to look again if no event comes.
 */
public record FleetTestPlan(ConfigMap record, List<Pod> pods, List<NeperTest> children, List<HasMetadata> delete,
                            boolean deleteDiscoveryPods, Leases leases, NeperFleetTestStatus status, Instant wakeAt,
                            List<NodeMarks> marks) {
    public FleetTestPlan {
        pods = List.copyOf(pods);
        children = List.copyOf(children);
        delete = List.copyOf(delete);
        marks = List.copyOf(marks);
    }

    /** A node's marks to write: the node as observed (the patches are computed against it) and the change. */
    public record NodeMarks(Node node, NodeChange change) {
    }

    public FleetTestPlan(ConfigMap record, List<Pod> pods, List<NeperTest> children, List<HasMetadata> delete,
                         boolean deleteDiscoveryPods, Leases leases, NeperFleetTestStatus status, Instant wakeAt) {
        this(record, pods, children, delete, deleteDiscoveryPods, leases, status, wakeAt, List.of());
    }

    FleetTestPlan with(NeperFleetTestStatus status, Instant wakeAt, List<NodeMarks> marks) {
        return new FleetTestPlan(record, pods, children, delete, deleteDiscoveryPods, leases, status, wakeAt, marks);
    }

    /** One line for the operator's debug log: what this plan does, and the status it records. */
    public String describe() {
        return (record != null ? "write record " + record.getMetadata().getName() + ", " : "")
                + "create " + pods.size() + " pods and " + children.size() + " children, delete " + delete.size()
                + (deleteDiscoveryPods ? " and the discovery pods" : "") + ", " + marks.size() + " nodes to mark, leases "
                + leases + ", status " + (status == null ? "unchanged" : status.phase() + " " + status.reason() + " run "
                + status.runId() + (status.schedule() == null ? "" : " run-now handled " + status.schedule().runNowHandled()))
                + ", wake at " + wakeAt;
    }

    static FleetTestPlan status(Leases leases, NeperFleetTestStatus status, Instant wakeAt) {
        return new FleetTestPlan(null, List.of(), List.of(), List.of(), false, leases, status, wakeAt);
    }

    static FleetTestPlan deleting(List<? extends HasMetadata> delete, boolean discoveryPods, Leases leases,
                                  NeperFleetTestStatus status, Instant wakeAt) {
        return new FleetTestPlan(null, List.of(), List.of(), List.copyOf(delete), discoveryPods, leases, status, wakeAt);
    }
}
