package dev.neper.fleet.operator.fleet.judging;

/**
 * A rail's throughput over round 1's links that measured one (errors have no number).
 *
 * @param rail    the rail's device name
 * @param samples how many links measured a throughput
 * @param min     the lowest, Gbit/s
 * @param median  the median, Gbit/s
 * @param mad     the median absolute deviation from the median, Gbit/s
 */
public record RailStats(String rail, int samples, double min, double median, double mad) {
    public static final double Z_SCALE = 0.6745;

    public static RailStats of(String rail, double[] values) {
        if (values.length == 0) {
            return new RailStats(rail, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double median = median(sorted);
        double[] deviations = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = Math.abs(sorted[i] - median);
        }
        java.util.Arrays.sort(deviations);
        return new RailStats(rail, sorted.length, sorted[0], median, median(deviations));
    }

    /** The robust z-score of a throughput, with the MAD at least {@code minMadFraction} of the median. */
    public double robustZ(double gbps, double minMadFraction) {
        double mad = Math.max(this.mad, minMadFraction * median);
        return mad > 0 ? Z_SCALE * (gbps - median) / mad : 0;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
