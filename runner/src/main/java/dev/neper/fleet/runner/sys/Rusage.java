package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The struct rusage fields neper prints. Layout on x86-64 (144 B): ru_utime timeval at 0,
 * ru_stime at 16, then longs: maxrss 32, minflt 64, majflt 72, nvcsw 128, nivcsw 136.
 * Times are in microseconds.
 */
public record Rusage(long utimeMicros, long stimeMicros, long maxrss, long minflt, long majflt,
                     long nvcsw, long nivcsw) {
    public static final int SELF = 0;
    public static final int THREAD = 1;
    static final int SIZE = 144;

    public static final Rusage ZERO = new Rusage(0, 0, 0, 0, 0, 0, 0);

    public static Rusage of(int who) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ru = arena.allocate(SIZE, 8);
            SysCallException.check("getrusage", Libc.getrusage(who, ru));
            return decode(ru);
        }
    }

    /** getrusage(RUSAGE_SELF); it cannot fail with a valid buffer, so a failure reads as zeros. */
    public static Rusage selfOrZero() {
        try {
            return of(SELF);
        } catch (SysCallException e) {
            return ZERO;
        }
    }

    public static Rusage threadOrZero() {
        try {
            return of(THREAD);
        } catch (SysCallException e) {
            return ZERO;
        }
    }

    static Rusage decode(MemorySegment ru) {
        return new Rusage(
                timeval(ru, 0), timeval(ru, 16),
                ru.get(ValueLayout.JAVA_LONG, 32), ru.get(ValueLayout.JAVA_LONG, 64),
                ru.get(ValueLayout.JAVA_LONG, 72), ru.get(ValueLayout.JAVA_LONG, 128),
                ru.get(ValueLayout.JAVA_LONG, 136));
    }

    private static long timeval(MemorySegment ru, long offset) {
        return ru.get(ValueLayout.JAVA_LONG, offset) * 1_000_000L + ru.get(ValueLayout.JAVA_LONG, offset + 8);
    }

    /** neper's "%ld.%06ld" rendering of a timeval. */
    public static String seconds(long micros) {
        return String.format("%d.%06d", micros / 1_000_000L, micros % 1_000_000L);
    }
}
