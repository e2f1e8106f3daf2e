package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.attribution.AttributionThresholds;
import dev.neper.fleet.operator.fleet.judging.JudgingThresholds;
import dev.neper.fleet.operator.fleet.pairing.PairingSettings;

/**
 * A fleet run's settings.
 *
 * @param pairing        round 1's strategy and the run's seed
 * @param maxPairsAtOnce at most this many pairs test at once (a round splits into waves); 0 for no limit
 * @param judging        when a link fails
 * @param attribution    what names a node, device, path or rail
 */
public record FleetSettings(PairingSettings pairing, int maxPairsAtOnce, JudgingThresholds judging,
                            AttributionThresholds attribution) {
    public FleetSettings {
        if (maxPairsAtOnce < 0) {
            throw new IllegalArgumentException("maxPairsAtOnce must be 0 (no limit) or more, not " + maxPairsAtOnce);
        }
    }

    public static FleetSettings defaults(PairingSettings pairing) {
        return new FleetSettings(pairing, 0, JudgingThresholds.DEFAULTS, AttributionThresholds.DEFAULTS);
    }

    public FleetSettings withMaxPairsAtOnce(int pairs) {
        return new FleetSettings(pairing, pairs, judging, attribution);
    }

    public FleetSettings withJudging(JudgingThresholds thresholds) {
        return new FleetSettings(pairing, maxPairsAtOnce, thresholds, attribution);
    }
}
