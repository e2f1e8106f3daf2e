package dev.neper.fleet.runner.stats;

/**
 * What neper derives from the merged samples of all flows: the sample count, the time of the last
 * sample, the uncentred correlation of (seconds, bytes) and the throughput in bytes/s from the first
 * to the last sample. {@code sufficient} is false with fewer than two samples, when neper reports
 * no throughput.
 */
public record ReceiveStatistics(int numSamples, long timeEndNanos, double correlationCoefficient,
                                double bytesPerSecond, long bytes, boolean sufficient) {
}
