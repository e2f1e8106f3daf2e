package dev.neper.fleet.runner.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Limits of the node a runner runs on that bound its options: net.core.somaxconn, the ceiling of a
 * listen() backlog, and the room left for threads, file descriptors and memory. Only the node knows
 * them: the runner reads its own ({@link #ofThisNode}) and refuses a command line past them; the
 * operator, which runs elsewhere, checks options with {@link OptionChecks#check} alone and leaves these
 * to the runner, whose refusal names the node's values.
 *
 * @param threads         how many more threads this process may start, and which limit says so
 * @param fileDescriptors how many more descriptors it may open (RLIMIT_NOFILE less those open)
 * @param memory          bytes it may still allocate (MemAvailable, or its memory cgroup's room if less)
 */
public record NodeLimits(OptionalInt somaxconn, Optional<Headroom> threads, Optional<Headroom> fileDescriptors,
                         Optional<Headroom> memory) {
    public static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
    private static final Path PROC_SELF = Path.of("/proc/self");
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    /** What is left of one limit: {@code available} more, and where that comes from ("RLIMIT_NOFILE 1024, 31 open"). */
    public record Headroom(long available, String source) {
    }

    /** Only somaxconn known. */
    public NodeLimits(OptionalInt somaxconn) {
        this(somaxconn, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** What nothing is known about: every node-side check passes. */
    public static NodeLimits unknown() {
        return new NodeLimits(OptionalInt.empty());
    }

    /** The limits of the machine this process runs on; a value that cannot be read is left unknown. */
    public static NodeLimits ofThisNode() {
        OptionalInt somaxconn;
        try {
            // Files.readString stops short on procfs files, whose reported size is 0; read lines instead.
            somaxconn = OptionalInt.of(Integer.parseInt(firstLine(SOMAXCONN)));
        } catch (IOException | RuntimeException e) {
            somaxconn = OptionalInt.empty();
        }
        return new NodeLimits(somaxconn, threadRoom(), descriptorRoom(), memoryRoom());
    }

    /**
     * The tightest of: the kernel's threads-max less every thread on the machine (/proc/loadavg), the
     * pids cgroup's pids.max less pids.current, and for a non-root user RLIMIT_NPROC less this process's
     * own threads (the kernel counts all of the user's, so this is the most there may be).
     */
    private static Optional<Headroom> threadRoom() {
        List<Headroom> rooms = new ArrayList<>();
        try {
            long max = Long.parseLong(firstLine(Path.of("/proc/sys/kernel/threads-max")));
            long all = Long.parseLong(firstLine(Path.of("/proc/loadavg")).split("\\s+")[3].split("/")[1]);
            rooms.add(new Headroom(max - all, "kernel.threads-max " + max + ", " + all + " threads on the node"));
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        cgroupFile("pids", "pids.max").ifPresent(max -> readLimit(max).ifPresent(limit -> {
            long current = readLimit(max.resolveSibling("pids.current")).orElse(0);
            rooms.add(new Headroom(limit - current, "cgroup " + max.getParent() + " pids.max " + limit + ", "
                    + current + " in use"));
        }));
        long ownThreads = countEntries(PROC_SELF.resolve("task"));
        if (!isRoot()) {
            rlimit("Max processes").ifPresent(limit -> rooms.add(new Headroom(limit - ownThreads,
                    "RLIMIT_NPROC " + limit + ", " + ownThreads + " threads in this process")));
        }
        return rooms.stream().min(Comparator.comparingLong(Headroom::available));
    }

    /** RLIMIT_NOFILE (the soft limit, which the JVM raises to the hard one at start) less the descriptors open now. */
    private static Optional<Headroom> descriptorRoom() {
        long open = countEntries(PROC_SELF.resolve("fd"));
        return rlimit("Max open files").stream().mapToObj(limit -> new Headroom(limit - open,
                "RLIMIT_NOFILE " + limit + ", " + open + " open")).findFirst();
    }

    /** MemAvailable, or the memory cgroup's limit less its usage when that is less (a container's limit). */
    private static Optional<Headroom> memoryRoom() {
        List<Headroom> rooms = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            lines.filter(l -> l.startsWith("MemAvailable:")).findFirst().ifPresent(l -> {
                long kib = Long.parseLong(l.replaceAll("[^0-9]", ""));
                rooms.add(new Headroom(kib * 1024, "MemAvailable " + ResourceNeeds.size(kib * 1024)));
            });
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        for (String[] files : new String[][] {{"memory.max", "memory.current"}, {"memory.limit_in_bytes", "memory.usage_in_bytes"}}) {
            cgroupFile("memory", files[0]).ifPresent(max -> readLimit(max).ifPresent(limit -> {
                long used = readLimit(max.resolveSibling(files[1])).orElse(0);
                rooms.add(new Headroom(limit - used, "cgroup " + max.getParent() + " " + files[0] + " "
                        + ResourceNeeds.size(limit) + ", " + ResourceNeeds.size(used) + " in use"));
            }));
        }
        return rooms.stream().min(Comparator.comparingLong(Headroom::available));
    }

    /**
     * A controller's file of this process's cgroup: cgroup v1's hierarchy of that controller
     * (/sys/fs/cgroup/CONTROLLER/PATH), else v2's unified one (/sys/fs/cgroup/PATH); empty when neither
     * has the file (the root cgroup has no limits).
     */
    private static Optional<Path> cgroupFile(String controller, String file) {
        try (Stream<String> lines = Files.lines(PROC_SELF.resolve("cgroup"))) {
            for (String line : lines.toList()) {
                String[] parts = line.split(":", 3);
                if (parts.length < 3) {
                    continue;
                }
                String relative = parts[2].replaceFirst("^/", "");
                Path candidate = List.of(parts[1].split(",")).contains(controller)
                        ? CGROUP_ROOT.resolve(controller).resolve(relative).resolve(file)
                        : parts[0].equals("0") ? CGROUP_ROOT.resolve(relative).resolve(file) : null;
                if (candidate != null && Files.isReadable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup information
        }
        return Optional.empty();
    }

    /** A limit file's value; "max" and cgroup v1's near-2^63 "no limit" read as none. */
    private static OptionalLong readLimit(Path file) {
        try {
            String text = firstLine(file);
            if (text.equals("max")) {
                return OptionalLong.empty();
            }
            long value = Long.parseLong(text);
            return value >= Long.MAX_VALUE / 2 ? OptionalLong.empty() : OptionalLong.of(value);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** A soft limit from /proc/self/limits ("Max open files  1024  4096  files"); empty when unlimited. */
    private static OptionalLong rlimit(String name) {
        try (Stream<String> lines = Files.lines(PROC_SELF.resolve("limits"))) {
            return lines.filter(l -> l.startsWith(name)).findFirst().map(l -> l.substring(name.length()).trim()
                    .split("\\s+")[0]).filter(v -> !v.equals("unlimited")).map(v -> OptionalLong.of(Long.parseLong(v)))
                    .orElse(OptionalLong.empty());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isRoot() {
        try (Stream<String> lines = Files.lines(PROC_SELF.resolve("status"))) {
            return lines.filter(l -> l.startsWith("Uid:")).findFirst().map(l -> l.split("\\s+")[2].equals("0"))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long countEntries(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String firstLine(Path file) throws IOException {
        return Files.readAllLines(file).getFirst().trim();
    }
}
