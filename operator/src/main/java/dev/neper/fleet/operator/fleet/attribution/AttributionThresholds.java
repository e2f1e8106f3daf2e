package dev.neper.fleet.operator.fleet.attribution;

/**
 * What the rounds' results must show before a verdict names a node, device, path or rail.
 *
 * @param goodPartners       how many different known-good partners round 2 gives each suspect (at least 2);
 *                           a suspect device with fewer good-partner tests is Inconclusive
 * @param nodeFaultShare     a node is a NodeFault when at least this share of its tested rails' devices (and
 *                           at least 2) fail with good partners
 * @param railFleetShare     a rail is a fleet-wide RailFault when it fails on at least this share of round 1's
 *                           pairs whose other rails mostly pass
 * @param railMedianFraction a rail is a fleet-wide RailFault when its round-1 median is below this fraction of
 *                           the median of all rails' medians: what relative thresholds alone would hide
 * @param rackRailShare      a rail is a RailFault in one rack when at least this share of the rack's nodes
 *                           whose other devices pass fail on it with good partners
 * @param minRackNodes       a rack needs at least this many such nodes for a rack RailFault
 */
public record AttributionThresholds(int goodPartners, double nodeFaultShare, double railFleetShare,
                                    double railMedianFraction, double rackRailShare, int minRackNodes) {
    /** Two partners; half the devices; half the clean pairs; 0.9 of the rails' median; every node of a rack, at least 3. */
    public static final AttributionThresholds DEFAULTS = new AttributionThresholds(2, 0.5, 0.5, 0.9, 1.0, 3);

    public AttributionThresholds {
        if (goodPartners < 2) {
            throw new IllegalArgumentException("goodPartners must be at least 2, not " + goodPartners);
        }
    }
}
