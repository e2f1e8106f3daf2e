package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void unknownLimitsPass() {
        assertDoesNotThrow(() -> OptionChecks.checkNode(LARGE_BACKLOG, NodeLimits.unknown()));
    }
}
