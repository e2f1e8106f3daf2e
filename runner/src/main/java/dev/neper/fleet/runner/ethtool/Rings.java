package dev.neper.fleet.runner.ethtool;

/**
 * A NIC's ring parameters as far as devmem cares: ring sizes, TCP header split (0 unknown, 1 off, 2 on;
 * null when the driver does not report it) and the header-split threshold (null when not reported).
 */
public record Rings(Long rx, Long tx, Integer tcpDataSplit, Long hdsThreshold, Long hdsThresholdMax) {
    public static final int TCP_DATA_SPLIT_UNKNOWN = 0;
    public static final int TCP_DATA_SPLIT_DISABLED = 1;
    public static final int TCP_DATA_SPLIT_ENABLED = 2;

    /** Whether the driver reports header split at all (it reports 0, "unknown", when it has none). */
    public boolean reportsHeaderSplit() {
        return tcpDataSplit != null && tcpDataSplit != TCP_DATA_SPLIT_UNKNOWN;
    }
}
