package dev.neper.fleet.operator.fleet.summary;

import java.util.List;

/**
 * A rail in the status: round 1's statistics and its faults.
 *
 * @param rail       the device name
 * @param samples    round-1 links that measured a throughput
 * @param minGbps    the lowest, or null without samples
 * @param medianGbps the median, or null
 * @param madGbps    the median absolute deviation, or null
 * @param faults     its faults: "fleet-wide: ..." or "rack r7: ...", the switch side named
 */
public record RailEntry(String rail, int samples, Double minGbps, Double medianGbps, Double madGbps, List<String> faults) {
}
