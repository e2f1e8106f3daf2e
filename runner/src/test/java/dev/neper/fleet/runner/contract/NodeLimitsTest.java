package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options' own checks hold anywhere; a node's limits are checked against that node's values only. */
@Tag("unit")
class NodeLimitsTest {
    private static final Options LARGE_BACKLOG = Options.defaults().with(OptionSpec.LISTEN_BACKLOG, 100_000);

    @Test
    void optionChecksDoNotDependOnTheMachineRunningThem() {
        assertDoesNotThrow(() -> OptionChecks.check(LARGE_BACKLOG));
    }

    @Test
    void aBacklogPastTheNodesSomaxconnIsRefusedNamingBothValues() {
        UsageException refusal = assertThrows(UsageException.class,
                () -> OptionChecks.checkNode(LARGE_BACKLOG, new NodeLimits(OptionalInt.of(4096))));
        assertEquals("listen() backlog cannot exceed /proc/sys/net/core/somaxconn (4096 on this node;"
                + " --listen-backlog is 100000)", refusal.getMessage());
        assertDoesNotThrow(() -> OptionChecks.checkNode(LARGE_BACKLOG, new NodeLimits(OptionalInt.of(100_000))));
    }

    @Test
    void aRunPastTheNodesThreadsDescriptorsOrMemoryIsRefusedNamingWhichWithTheNumbers() throws UsageException {
        Options threads = Options.defaults().with(OptionSpec.NUM_THREADS, 8000).with(OptionSpec.NUM_FLOWS, 8000);
        NodeLimits fewThreads = new NodeLimits(OptionalInt.empty(),
                Optional.of(new NodeLimits.Headroom(6321, "cgroup /sys/fs/cgroup/pids/pod pids.max 6442, 121 in use")),
                Optional.empty(), Optional.empty());
        assertEquals("-T 8000 -F 8000 -B 16384 needs 8000 threads; this node has room for 6321 (cgroup"
                + " /sys/fs/cgroup/pids/pod pids.max 6442, 121 in use)", refusal(threads, fewThreads));

        NodeLimits fewFiles = new NodeLimits(OptionalInt.empty(), Optional.empty(),
                Optional.of(new NodeLimits.Headroom(1000, "RLIMIT_NOFILE 1024, 24 open")), Optional.empty());
        assertEquals("-T 8000 -F 8000 -B 16384 needs 32002 file descriptors (a socket per flow, listeners, an epoll and"
                + " an eventfd per thread); this node has room for 1000 (RLIMIT_NOFILE 1024, 24 open)",
                refusal(threads, fewFiles));

        Options big = Options.defaults().with(OptionSpec.NUM_THREADS, 2).with(OptionSpec.NUM_FLOWS, 2)
                .with(OptionSpec.BUFFER_SIZE, 2_000_000_000).with(OptionSpec.CLIENT, true);
        NodeLimits littleMemory = new NodeLimits(OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new NodeLimits.Headroom(3_900_000_000L, "MemAvailable 3.90 GB")));
        assertEquals("-T 2 -F 2 -B 2000000000 needs 8.00 GB of payload memory; this node has 3.90 GB available"
                + " (MemAvailable 3.90 GB)", refusal(big, littleMemory));
        assertDoesNotThrow(() -> OptionChecks.checkNode(Options.defaults(), littleMemory));
    }

    @Test
    void thisNodesLimitsAreRead() {
        NodeLimits here = NodeLimits.ofThisNode();
        assertTrue(here.threads().isPresent() && here.threads().get().available() > 0, here.toString());
        assertTrue(here.memory().isPresent() && here.memory().get().available() > 0, here.toString());
        assertTrue(here.fileDescriptors().isPresent() && here.fileDescriptors().get().source().startsWith("RLIMIT_NOFILE "),
                here.toString());
    }

    private static String refusal(Options options, NodeLimits limits) {
        return assertThrows(UsageException.class, () -> OptionChecks.checkNode(options, limits)).getMessage();
    }

    @Test
    void unknownLimitsPass() {
        assertDoesNotThrow(() -> OptionChecks.checkNode(LARGE_BACKLOG, NodeLimits.unknown()));
    }
}
