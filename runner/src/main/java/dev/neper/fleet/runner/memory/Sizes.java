package dev.neper.fleet.runner.memory;

/** Byte sizes: rounding and readable rendering. */
public final class Sizes {
    public static final long MIB = 1L << 20;
    public static final long PAGE = 4096;

    private Sizes() {
    }

    public static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /** "64 MiB", "2.5 GiB", "4097 B". */
    public static String format(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= MIB && bytes % (MIB / 4) == 0) {
            double mib = bytes / (double) MIB;
            return (mib == Math.rint(mib) ? String.valueOf((long) mib) : String.valueOf(mib)) + " MiB";
        }
        return bytes + " B";
    }
}
