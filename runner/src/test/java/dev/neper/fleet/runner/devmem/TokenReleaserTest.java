package dev.neper.fleet.runner.devmem;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches stay within the kernel's limits (128 ranges, 1024 fragments per SO_DEVMEM_DONTNEED) and counts are checked. */
@Tag("unit")
class TokenReleaserTest {
    private final List<int[]> calls = new ArrayList<>();

    private TokenReleaser releaser(long shortBy) {
        return new TokenReleaser(Arena.ofAuto(), (fd, tokens, ranges) -> {
            int frags = 0;
            for (int i = 0; i < ranges; i++) {
                frags += tokens.get(ValueLayout.JAVA_INT, i * 8L + 4);
            }
            calls.add(new int[] {ranges, frags});
            return frags - shortBy;
        });
    }

    @Test
    void scatteredTokensFlushAt128Ranges() {
        TokenReleaser r = releaser(0);
        for (int i = 0; i < 300; i++) {
            assertTrue(r.add(-1, 1 + 2 * i));
        }
        assertTrue(r.flush(-1));
        assertEquals(3, calls.size());
        assertEquals(128, calls.get(0)[0]);
        assertEquals(128, calls.get(1)[0]);
        assertEquals(44, calls.get(2)[0]);
        assertEquals(300, r.released());
    }

    @Test
    void consecutiveTokensFlushAt1024Fragments() {
        TokenReleaser r = releaser(0);
        for (int i = 0; i < 2500; i++) {
            assertTrue(r.add(-1, 1 + i));
        }
        assertTrue(r.flush(-1));
        assertEquals(List.of(1024, 1024, 452), calls.stream().map(c -> c[1]).toList());
        assertTrue(calls.stream().allMatch(c -> c[0] == 1));
        assertEquals(2500, r.released());
    }

    @Test
    void fewerFreedThanHandedOverIsAnError() {
        TokenReleaser r = releaser(1);
        r.add(-1, 5);
        r.add(-1, 6);
        assertFalse(r.flush(-1));
        assertEquals("SO_DEVMEM_DONTNEED freed 1 of 2 fragments", r.error());
    }

    @Test
    void emptyFlushCallsNothing() {
        TokenReleaser r = releaser(0);
        assertTrue(r.flush(-1));
        assertTrue(calls.isEmpty());
    }
}
