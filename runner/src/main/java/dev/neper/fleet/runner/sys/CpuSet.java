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
        restrictCurrentThread(List.of(cpu));
    }

    /**
     * Lets the calling thread run only on these CPUs, as taskset does; threads it starts afterwards
     * inherit the set, and {@link #allowed} on them answers it.
     */
    public static void restrictCurrentThread(List<Integer> cpus) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SIZE_BYTES, 8);
            for (int cpu : cpus) {
                if (cpu < 0 || cpu >= SIZE_BYTES * 8) {
                    throw new SysCallException("sched_setaffinity(cpus " + format(cpus) + ")", Errno.EINVAL,
                            "CPU " + cpu + " is outside a cpu_set_t");
                }
                long at = (cpu / 64) * 8L;
                mask.set(ValueLayout.JAVA_LONG, at, mask.get(ValueLayout.JAVA_LONG, at) | 1L << (cpu % 64));
            }
            SysCallException.check("sched_setaffinity(cpu" + (cpus.size() == 1 ? " " : "s ") + format(cpus) + ")",
                    Libc.schedSetaffinity(0, SIZE_BYTES, mask));
        }
    }

    /** Parses a CPU list as sysfs and taskset write it ("0-51,104-155"); an empty text is no CPU. */
    public static List<Integer> parse(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String item : list.trim().split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            int dash = item.indexOf('-');
            int first = Integer.parseInt(item.substring(0, dash < 0 ? item.length() : dash).trim());
            int last = dash < 0 ? first : Integer.parseInt(item.substring(dash + 1).trim());
            if (last < first) {
                throw new IllegalArgumentException("CPU range " + item + " runs backwards");
            }
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
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
