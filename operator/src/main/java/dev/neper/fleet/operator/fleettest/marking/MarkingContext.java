package dev.neper.fleet.operator.fleettest.marking;

import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.NeperFleetTest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Who marks and with what: the fleet test (namespace/name, the owner in each node's record), the run,
 * when, and the taint's settings.
 */
public record MarkingContext(String owner, String runId, String time, boolean taint, String taintEffect) {
    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    public static MarkingContext of(NeperFleetTest fleet, String runId, Instant now) {
        FleetMarking marking = fleet.getSpec() == null ? FleetMarking.DEFAULT : fleet.getSpec().markingOrDefault();
        return new MarkingContext(owner(fleet), runId, LABEL_TIME.format(now), marking.taintOrDefault(),
                marking.taintEffectOrDefault().name());
    }

    public static String owner(NeperFleetTest fleet) {
        return fleet.getMetadata().getNamespace() + "/" + fleet.getMetadata().getName();
    }
}
