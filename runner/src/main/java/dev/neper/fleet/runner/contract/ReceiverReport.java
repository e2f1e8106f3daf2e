package dev.neper.fleet.runner.contract;

/**
 * The receiver's statistics, as neper prints them: sample count, end time, correlation, throughput in
 * the chosen unit and its label, plus the raw rate and byte count they come from.
 */
public record ReceiverReport(int numSamples, long timeEndNanos, double correlationCoefficient, double throughput,
                             String throughputUnits, double bytesPerSecond, long bytes) {
}
