package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** cpu_set_t (1024 bits) for sched_getaffinity and sched_setaffinity. */
public final class CpuSet {
    static final int SIZE_BYTES = 128;

    private CpuSet() {
    }

    /** The CPUs this process may run on, in ascending order. */
    public static List<Integer> allowed() throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SIZE_BYTES, 8);
            SysCallException.check("sched_getaffinity", Libc.schedGetaffinity(0, SIZE_BYTES, mask));
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < SIZE_BYTES * 8; cpu++) {
                long word = mask.get(ValueLayout.JAVA_LONG, (cpu / 64) * 8L);
                if ((word & (1L << (cpu % 64))) != 0) {
                    cpus.add(cpu);
                }
            }
            return cpus;
        }
    }

    /** Pins the calling thread to one CPU. */
    public static void pinCurrentThread(int cpu) throws SysCallException {
        pinCurrentThread(List.of(cpu));
    }

    /** Pins the calling thread to a set of CPUs. */
    public static void pinCurrentThread(List<Integer> cpus) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SIZE_BYTES, 8);
            for (int cpu : cpus) {
                long at = (cpu / 64) * 8L;
                mask.set(ValueLayout.JAVA_LONG, at, mask.get(ValueLayout.JAVA_LONG, at) | (1L << (cpu % 64)));
            }
            SysCallException.check("sched_setaffinity(cpus " + format(cpus) + ")",
                    Libc.schedSetaffinity(0, SIZE_BYTES, mask));
        }
    }

    /** neper's allowed_cores format: ranges joined by commas, e.g. "0-3,8". */
    public static String format(List<Integer> cpus) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cpus.size(); ) {
            int start = cpus.get(i);
            int end = start;
            while (i + 1 < cpus.size() && cpus.get(i + 1) == end + 1) {
                end = cpus.get(++i);
            }
            i++;
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(start);
            if (end != start) {
                out.append('-').append(end);
            }
        }
        return out.toString();
    }
}
