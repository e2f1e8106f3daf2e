package dev.neper.fleet.operator.fleettest.status;

import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.metrics.FleetMetrics;
import dev.neper.fleet.operator.record.StatusPolicy;

/** How the status recorder treats fleet runs: their transitions, and the metrics a write updates. */
public final class FleetStatusPolicy implements StatusPolicy<NeperFleetTest, NeperFleetTestStatus, FleetTransition> {
    private final FleetMetrics metrics;

    public FleetStatusPolicy(FleetMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public FleetTransition transition(NeperFleetTestStatus before, NeperFleetTestStatus after) {
        return FleetTransition.between(before, after);
    }

    @Override
    public void written(NeperFleetTest fleet, FleetTransition transition, NeperFleetTestStatus status) {
        if (transition.ended()) {
            metrics.completed(status);
        }
        metrics.statusWritten();
    }

    @Override
    public NeperFleetTestStatus empty(NeperFleetTest fleet) {
        return NeperFleetTestStatus.builder().observedGeneration(fleet.getMetadata().getGeneration()).build();
    }
}
