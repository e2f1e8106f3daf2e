package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.MemoryMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class WarmUpTest {
    @Test
    void onUnlessTurnedOffAndNeverForDevmem() {
        assertTrue(WarmUp.wanted(MemoryMode.HOST, false));
        assertFalse(WarmUp.wanted(MemoryMode.HOST, true));
        for (MemoryMode mode : MemoryMode.values()) {
            if (mode.isDevmem()) {
                assertFalse(WarmUp.wanted(mode, false), mode.name());
            }
        }
    }

    @Test
    void onlyOnAndOffAreValues() {
        assertEquals(Optional.empty(), WarmUp.problem(Map.of()));
        assertEquals(Optional.empty(), WarmUp.problem(Map.of(WarmUp.VARIABLE, "on")));
        assertEquals(Optional.empty(), WarmUp.problem(Map.of(WarmUp.VARIABLE, "off")));
        assertEquals(Optional.of("NEPER_RUNNER_WARM_UP must be on or off, not 'false'"),
                WarmUp.problem(Map.of(WarmUp.VARIABLE, "false")));
    }
}
