package dev.neper.fleet.runner.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * neper's rate conversions: the suffixes of {@code -m} and the units of {@code --throughput-opt}.
 * Lowercase single letters and "b" suffixes are bits, uppercase "B" and the bare K/M/G are bytes;
 * "i" marks powers of two. The four auto units pick a scale per result.
 */
public enum ThroughputUnit {
    BITS("b", "bits/s", 1.0 / 8),
    KILOBITS_SHORT("k", "10^3bits/s", 1000.0 / 8),
    MEGABITS_SHORT("m", "10^6bits/s", 1_000_000.0 / 8),
    GIGABITS_SHORT("g", "10^9bits/s", 1_000_000_000.0 / 8),
    BYTES("B", "B/s", 1),
    KIBIBYTES_SHORT("K", "KBytes/s", 1024),
    MEBIBYTES_SHORT("M", "MBytes/s", 1024 * 1024),
    GIBIBYTES_SHORT("G", "GBytes/s", 1024.0 * 1024 * 1024),
    KILOBITS("Kb", "Kbit/s", 1000.0 / 8),
    MEGABITS("Mb", "Mbit/s", 1_000_000.0 / 8),
    GIGABITS("Gb", "Gbit/s", 1_000_000_000.0 / 8),
    KILOBYTES("KB", "KB/s", 1000),
    MEGABYTES("MB", "MB/s", 1_000_000),
    GIGABYTES("GB", "GB/s", 1_000_000_000),
    KIBIBITS("Kib", "Kibit/s", 1024.0 / 8),
    MEBIBITS("Mib", "Mibit/s", 1024.0 * 1024 / 8),
    GIBIBITS("Gib", "Gibit/s", 1024.0 * 1024 * 1024 / 8),
    KIBIBYTES("KiB", "KiB/s", 1024),
    MEBIBYTES("MiB", "MiB/s", 1024 * 1024),
    GIBIBYTES("GiB", "GiB/s", 1024.0 * 1024 * 1024),
    AUTO_BITS("auto-b", null, 0),
    AUTO_BINARY_BITS("auto-ib", null, 0),
    AUTO_BYTES("auto-B", null, 0),
    AUTO_BINARY_BYTES("auto-iB", null, 0);

    private static final List<ThroughputUnit> ALL = Arrays.asList(values());

    private final String suffix;
    private final String label;
    private final double bytesPerSecond;

    ThroughputUnit(String suffix, String label, double bytesPerSecond) {
        this.suffix = suffix;
        this.label = label;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The spelling on the command line and in the option dump, e.g. "Mb". */
    public String suffix() {
        return suffix;
    }

    /** The label neper prints as throughput_units, e.g. "Mbit/s". */
    public String label() {
        return label;
    }

    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    public boolean isAuto() {
        return label == null;
    }

    public static Optional<ThroughputUnit> bySuffix(String suffix) {
        return ALL.stream().filter(u -> u.suffix.equals(suffix)).findFirst();
    }

    /**
     * The concrete unit to print a rate in: itself, or for an auto unit the first unit of its family
     * (same trailing spelling) whose value lies in (1, 1000), as neper picks it. Where none does
     * (rates under 1 or beyond the largest unit), the nearest end of the family.
     */
    public ThroughputUnit resolve(double bytesPerSecondValue) {
        if (!isAuto()) {
            return this;
        }
        String family = suffix.substring(suffix.indexOf('-') + 1);
        List<ThroughputUnit> candidates = ALL.stream()
                .filter(u -> !u.isAuto() && u.suffix.length() - 1 >= family.length() && u.suffix.endsWith(family))
                .toList();
        for (ThroughputUnit u : candidates) {
            double v = bytesPerSecondValue / u.bytesPerSecond;
            if (v < 1000 && v > 1) {
                return u;
            }
        }
        List<ThroughputUnit> exactFamily = candidates.stream()
                .filter(u -> u.suffix.length() == family.length() + 1).toList();
        return bytesPerSecondValue / exactFamily.getFirst().bytesPerSecond <= 1 ? exactFamily.getFirst() : exactFamily.getLast();
    }
}
