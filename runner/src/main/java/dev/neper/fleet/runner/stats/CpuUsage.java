package dev.neper.fleet.runner.stats;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Rusage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run reads its CPU usage: getrusage, or with --stime-use-proc (neper's -S) the system time
 * taken from /proc/stat instead: the machine's system + irq + softirq time since the run began
 * (which counts the kernel's network work wherever it ran), all of it for the process and an equal
 * share for each of the T threads. Meaningful only on a machine doing nothing else, as neper warns.
 */
public final class CpuUsage {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final int SC_CLK_TCK = 2;

    private final boolean procStat;
    private final int threads;
    private final long initialSystemMicros;

    private CpuUsage(boolean procStat, int threads, long initialSystemMicros) {
        this.procStat = procStat;
        this.threads = threads;
        this.initialSystemMicros = initialSystemMicros;
    }

    public static CpuUsage rusage() {
        return new CpuUsage(false, 1, 0);
    }

    /** Takes the machine's system time now as the zero of later readings. */
    public static CpuUsage procStat(int threads) {
        return new CpuUsage(true, threads, systemMicros(PROC_STAT));
    }

    /** The process's usage (getrusage RUSAGE_SELF). */
    public Rusage self() {
        Rusage usage = Rusage.selfOrZero();
        return procStat ? withSystemMicros(usage, systemMicros(PROC_STAT) - initialSystemMicros) : usage;
    }

    /** The calling thread's usage (getrusage RUSAGE_THREAD). */
    public Rusage thread() {
        Rusage usage = Rusage.threadOrZero();
        return procStat ? withSystemMicros(usage, (systemMicros(PROC_STAT) - initialSystemMicros) / threads) : usage;
    }

    private static Rusage withSystemMicros(Rusage u, long stimeMicros) {
        return new Rusage(u.utimeMicros(), stimeMicros, u.maxrss(), u.minflt(), u.majflt(), u.nvcsw(), u.nivcsw());
    }

    /** system + irq + softirq of the "cpu" line (fields 3, 6 and 7, in clock ticks), in microseconds. */
    static long systemMicros(Path procStat) {
        try {
            String[] fields = Files.readAllLines(procStat).getFirst().trim().split("\\s+");
            if (!fields[0].equals("cpu") || fields.length < 8) {
                throw new IllegalStateException(procStat + " does not start with the aggregate cpu line");
            }
            long ticks = Long.parseLong(fields[3]) + Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
            long hz = Libc.sysconf(SC_CLK_TCK);
            return ticks * 1_000_000L / (hz > 0 ? hz : 100);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procStat + " for --stime-use-proc", e);
        }
    }
}
