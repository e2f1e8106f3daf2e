package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.fleettest.schedule.RunTrigger;

/** Where a fleet run is, from its status alone: which of the planner's steps applies, and for which run. */
public record FleetStage(Kind kind, long runGeneration, String runId) {

    public enum Kind {
        /** Not started, or back to Pending: validate, wait for the nodes, then start. */
        START,
        /** Discovering with the spec it started with. */
        DISCOVER,
        /** Running waves with the spec it started with. */
        RUN,
        /** Discovering or Running, but the spec changed: the run is abandoned and starts again. */
        RESTART,
        /** Completed or Failed: verdicts stay; what is left of the run is cleaned up. */
        ENDED
    }

    /** As {@link #of(NeperFleetTest)}, but an ended run whose next run is due starts it. */
    public static FleetStage of(NeperFleetTest fleet, RunTrigger trigger) {
        FleetStage stage = of(fleet);
        return stage.kind() == Kind.ENDED && trigger.runs() ? new FleetStage(Kind.START, generation(fleet), null) : stage;
    }

    private static long generation(NeperFleetTest fleet) {
        return fleet.getMetadata().getGeneration() == null ? 0 : fleet.getMetadata().getGeneration();
    }

    public static FleetStage of(NeperFleetTest fleet) {
        NeperFleetTestStatus status = fleet.getStatus();
        FleetPhase phase = status == null ? null : status.phase();
        long generation = fleet.getMetadata().getGeneration() == null ? 0 : fleet.getMetadata().getGeneration();
        boolean started = phase != null && (phase.isActive() || phase.isTerminal());
        long runGeneration = started && status.observedGeneration() != null ? status.observedGeneration() : generation;
        String runId = started ? status.runId() : null;
        if (fleet.getSpec() == null) {
            // a spec this operator cannot read (a newer CRD's): refused at the start, whatever the status said
            return new FleetStage(Kind.START, generation, null);
        }
        if (phase != null && phase.isActive()) {
            Kind kind = runGeneration != generation ? Kind.RESTART : phase == FleetPhase.Discovering ? Kind.DISCOVER : Kind.RUN;
            return new FleetStage(kind, runGeneration, runId);
        }
        boolean refusedThenEdited = phase == FleetPhase.Failed && Reason.InvalidSpec.name().equals(status.reason())
                && runGeneration != generation;
        if (phase != null && phase.isTerminal() && !refusedThenEdited) {
            return new FleetStage(Kind.ENDED, runGeneration, runId);
        }
        return new FleetStage(Kind.START, generation, null);
    }
}
