package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.FleetAttribution;
import dev.neper.fleet.operator.api.FleetJudging;
import dev.neper.fleet.operator.api.FleetPairing;
import dev.neper.fleet.operator.api.NeperFleetTestSpec;
import dev.neper.fleet.operator.fleet.attribution.AttributionThresholds;
import dev.neper.fleet.operator.fleet.judging.JudgingThresholds;
import dev.neper.fleet.operator.fleet.pairing.PairingSettings;
import dev.neper.fleet.operator.fleet.pairing.PairingStrategy;
import dev.neper.fleet.operator.fleet.pairing.RackMode;
import dev.neper.fleet.operator.fleet.planning.FleetSettings;

/** A spec's settings as the fleet core takes them, defaults filled in, with the run's seed. */
public final class RunSettings {
    private RunSettings() {
    }

    public static FleetSettings of(NeperFleetTestSpec spec, long seed) {
        FleetPairing pairing = spec.pairingOrDefault();
        PairingSettings pairs = new PairingSettings(PairingStrategy.valueOf(pairing.strategyOrDefault().name()), seed,
                pairing.ringTimestepOrDefault(), RackMode.valueOf(pairing.rackModeOrDefault().name()));
        return new FleetSettings(pairs, spec.maxPairsAtOnceOrDefault(), judging(spec.judgingOrDefault()),
                attribution(spec.attributionOrDefault()));
    }

    static JudgingThresholds judging(FleetJudging j) {
        JudgingThresholds d = JudgingThresholds.DEFAULTS;
        return new JudgingThresholds(j.minLinkGbps(), or(j.minFractionOfMedian(), d.minFractionOfMedian()),
                or(j.minRobustZ(), d.minRobustZ()), or(j.minMadFraction(), d.minMadFraction()),
                j.minSamples() == null ? d.minSamples() : j.minSamples());
    }

    static AttributionThresholds attribution(FleetAttribution a) {
        AttributionThresholds d = AttributionThresholds.DEFAULTS;
        return new AttributionThresholds(a.goodPartners() == null ? d.goodPartners() : a.goodPartners(),
                or(a.nodeFaultShare(), d.nodeFaultShare()), or(a.railFleetShare(), d.railFleetShare()),
                or(a.railMedianFraction(), d.railMedianFraction()), or(a.rackRailShare(), d.rackRailShare()),
                a.minRackNodes() == null ? d.minRackNodes() : a.minRackNodes());
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
