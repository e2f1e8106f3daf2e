package dev.neper.fleet.operator.fleet.wave;

import java.util.List;

/**
 * The measurements of one wave, in any order. A planned link without a measurement counts as failed
 * (kind {@code NoResult}).
 *
 * @param round the wave's round
 * @param index the wave's number within its round
 * @param links one measurement per planned link
 */
public record WaveResult(int round, int index, List<LinkMeasurement> links) {
    public WaveResult {
        links = List.copyOf(links);
    }
}
