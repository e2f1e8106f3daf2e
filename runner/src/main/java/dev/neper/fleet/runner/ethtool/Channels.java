package dev.neper.fleet.runner.ethtool;

/** A NIC's channel counts and maxima (null where the driver reports none). */
public record Channels(Long rxCount, Long txCount, Long combinedCount, Long rxMax, Long combinedMax) {
    /** RX queues in use: dedicated RX channels plus combined ones. */
    public long rxQueues() {
        return (rxCount == null ? 0 : rxCount) + (combinedCount == null ? 0 : combinedCount);
    }
}
