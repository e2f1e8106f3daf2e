package dev.neper.fleet.operator.fleet.judging;

import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Judges links against the floor and their rail's round-1 statistics. */
public final class LinkJudge {
    private final JudgingThresholds thresholds;
    private final Map<String, RailStats> stats;

    public LinkJudge(JudgingThresholds thresholds, Map<String, RailStats> stats) {
        this.thresholds = thresholds;
        this.stats = Map.copyOf(stats);
    }

    /** Each rail's statistics over the measurements that have a throughput. */
    public static Map<String, RailStats> railStats(List<String> rails, List<LinkMeasurement> measurements) {
        Map<String, List<Double>> values = new HashMap<>();
        for (LinkMeasurement m : measurements) {
            if (m.errorKind() == null && m.gbps() != null) {
                values.computeIfAbsent(m.device(), d -> new ArrayList<>()).add(m.gbps());
            }
        }
        Map<String, RailStats> stats = new HashMap<>();
        for (String rail : rails) {
            double[] array = values.getOrDefault(rail, List.of()).stream().mapToDouble(Double::doubleValue).toArray();
            stats.put(rail, RailStats.of(rail, array));
        }
        return stats;
    }

    public JudgedLink judge(int round, Purpose purpose, LinkMeasurement m) {
        return new JudgedLink(round, purpose, m.server(), m.client(), m.device(), m.gbps(), failure(m));
    }

    private Failure failure(LinkMeasurement m) {
        if (m.errorKind() != null) {
            return new Failure(Failure.Kind.ERROR, "error " + m.errorKind() + (m.error() == null ? "" : ": " + shorten(m.error())));
        }
        if (m.gbps() == null) {
            return new Failure(Failure.Kind.NO_RESULT, "no throughput");
        }
        double gbps = m.gbps();
        if (thresholds.minLinkGbps() != null && gbps < thresholds.minLinkGbps()) {
            return new Failure(Failure.Kind.FLOOR, "below floor " + format(thresholds.minLinkGbps()));
        }
        RailStats rail = stats.get(m.device());
        if (rail == null || rail.samples() < thresholds.minSamples()) {
            return null;
        }
        if (gbps < thresholds.minFractionOfMedian() * rail.median()) {
            return new Failure(Failure.Kind.MEDIAN, "below " + thresholds.minFractionOfMedian() + " x median "
                    + format(rail.median()));
        }
        double z = rail.robustZ(gbps, thresholds.minMadFraction());
        if (z < thresholds.minRobustZ()) {
            return new Failure(Failure.Kind.ROBUST_Z, "robust z " + format(z) + " < " + thresholds.minRobustZ());
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Gbit/s with one decimal. */
    public static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
