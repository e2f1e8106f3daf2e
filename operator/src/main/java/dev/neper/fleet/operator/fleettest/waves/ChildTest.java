package dev.neper.fleet.operator.fleettest.waves;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperTest;

import java.util.Map;
import java.util.Optional;

/**
 * A child NeperTest as the run sees it: which round, wave and part of how many it is, and whether it ended.
 */
public record ChildTest(NeperTest test, int round, int wave, int part, int parts) {

    /** The child's place in its run, from its labels; empty for a NeperTest without them. */
    public static Optional<ChildTest> of(NeperTest test) {
        Map<String, String> labels = test.getMetadata().getLabels();
        Map<String, String> annotations = test.getMetadata().getAnnotations();
        if (labels == null || annotations == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ChildTest(test, Integer.parseInt(labels.get(FleetLabels.ROUND)),
                    Integer.parseInt(labels.get(FleetLabels.WAVE)), Integer.parseInt(labels.get(FleetLabels.PART)),
                    Integer.parseInt(annotations.get(FleetLabels.PARTS))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String name() {
        return test.getMetadata().getName();
    }

    public boolean ended() {
        return test.getStatus() != null && test.getStatus().phase() != null && test.getStatus().phase().isTerminal();
    }
}
