package dev.neper.fleet.operator.plan;

import dev.neper.fleet.operator.api.NeperTestStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.List;

/**
 * What one reconcile decided for a NeperTest, for the reconciler to carry out: the pods to create and
 * to delete, what happens to the test's hold on its nodes, the status to record (the one last written
 * when nothing changed) and when to look again if no event comes (null: on events only).
 */
public record TestPlan(List<Pod> create, List<Pod> delete, Leases leases, NeperTestStatus status, Instant wakeAt) {

    /** The test's hold on its nodes ({@link dev.neper.fleet.operator.exclusion.NodeLeases}). */
    public enum Leases {
        /** Nothing to change. */
        KEEP,
        /** The test runs (or its pods still do): its nodes are its own, also after an operator restart. */
        HOLD,
        /** Its pods are gone: the nodes go to the tests waiting for them. */
        RELEASE,
        /** The test will not run as it is (refused): it neither holds nor waits. */
        FORGET
    }
}
