package dev.neper.fleet.operator.plan;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestPhase;

/**
 * Where a NeperTest is, from its status alone, and the generation its run is for (its pods carry it):
 * the phase dispatch that decides which of the planner's steps applies.
 */
public record TestStage(Kind kind, long runGeneration) {

    public enum Kind {
        /** Not started, or back to Pending: validate, wait for the nodes, then start. */
        START,
        /** Starting or Running with the spec it started with. */
        RUN,
        /** Starting or Running, but the spec changed: the run is abandoned and starts again. */
        RESTART,
        /** Succeeded or Failed: results stay; pods are cleaned up per spec.pods.keep. */
        ENDED
    }

    public static TestStage of(NeperTest test) {
        NeperTestStatus status = test.getStatus();
        TestPhase phase = status == null ? null : status.phase();
        long generation = test.getMetadata().getGeneration();
        boolean started = phase != null && (phase.isActive() || phase.isTerminal());
        long runGeneration = started && status.observedGeneration() != null ? status.observedGeneration() : generation;
        if (phase != null && phase.isActive()) {
            return new TestStage(runGeneration == generation ? Kind.RUN : Kind.RESTART, runGeneration);
        }
        // a refused spec that was edited is simply tried again
        boolean refusedThenEdited = phase == TestPhase.Failed && Reason.InvalidSpec.name().equals(status.reason())
                && runGeneration != generation;
        if (phase != null && phase.isTerminal() && !refusedThenEdited) {
            return new TestStage(Kind.ENDED, runGeneration);
        }
        return new TestStage(Kind.START, generation);
    }
}
