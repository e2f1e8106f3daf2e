package dev.neper.fleet.operator.fleet.judging;

/**
 * When a link fails. A link fails when it reports an error, when it is below the absolute floor, or,
 * once its rail has enough samples, when it is below a fraction of the rail's median or its robust
 * z-score is below a bound. Rail statistics come from round 1 only: later rounds test suspects, whose
 * numbers would drag the median down.
 *
 * @param minLinkGbps         the absolute floor in Gbit/s, or null for none
 * @param minFractionOfMedian a link below this fraction of its rail's median fails (0 turns it off)
 * @param minRobustZ          a link whose robust z = 0.6745 (x - median) / MAD is below this fails
 *                            (negative infinity turns it off)
 * @param minMadFraction      the MAD used in z is at least this fraction of the median, so a rail whose
 *                            links are all within a hair of each other does not flag a 1% dip
 * @param minSamples          the relative tests apply only on rails with at least this many round-1 samples
 */
public record JudgingThresholds(Double minLinkGbps, double minFractionOfMedian, double minRobustZ,
                                double minMadFraction, int minSamples) {
    /**
     * Defaults: no floor; 0.9 of the median; z below -3.5 with a MAD of at least 1% of the median (so z
     * flags a link at least 5.2% below the median, and at 2% jitter a healthy link 1 time in 4,000); 8
     * samples.
     */
    public static final JudgingThresholds DEFAULTS = new JudgingThresholds(null, 0.9, -3.5, 0.01, 8);

    public JudgingThresholds withFloor(Double gbps) {
        return new JudgingThresholds(gbps, minFractionOfMedian, minRobustZ, minMadFraction, minSamples);
    }
}
