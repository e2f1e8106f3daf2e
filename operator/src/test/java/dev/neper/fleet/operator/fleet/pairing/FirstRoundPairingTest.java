package dev.neper.fleet.operator.fleet.pairing;

import dev.neper.fleet.operator.fleet.ScriptedRun;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class FirstRoundPairingTest {
    private static final List<TestNode> NODES = ScriptedRun.fleet(40, 1, 8).nodes();
    private static final Map<String, TestNode> BY_NAME = NODES.stream().collect(Collectors.toMap(TestNode::name, Function.identity()));

    /** Every node in exactly one pair, the odd one out aside. */
    private static void perfect(Matching matching, List<TestNode> nodes) {
        Set<String> seen = new HashSet<>();
        matching.pairs().forEach(p -> {
            assertTrue(seen.add(p.server()) && seen.add(p.client()), "twice: " + p);
        });
        if (matching.oddNode() != null) {
            assertTrue(seen.add(matching.oddNode()));
        }
        assertEquals(nodes.size(), seen.size());
        assertEquals(nodes.size() % 2 == 1, matching.oddNode() != null);
    }

    @Test
    void randomIsAPerfectMatchingFixedByItsSeed() {
        Matching one = FirstRoundPairing.match(NODES, PairingSettings.random(7));
        perfect(one, NODES);
        assertEquals(one, FirstRoundPairing.match(NODES, PairingSettings.random(7)));
        assertNotEquals(one, FirstRoundPairing.match(NODES, PairingSettings.random(8)));
        Matching odd = FirstRoundPairing.match(NODES.subList(0, 39), PairingSettings.random(7));
        perfect(odd, NODES.subList(0, 39));
    }

    @Test
    void ringTimestepsTogetherPairEveryNodeWithEveryOtherOnce() {
        for (int n : List.of(8, 7, 2)) {
            List<TestNode> nodes = NODES.subList(0, n);
            int steps = n % 2 == 0 ? n - 1 : n;
            Set<Set<String>> met = new HashSet<>();
            for (int t = 0; t < steps; t++) {
                Matching m = FirstRoundPairing.match(nodes, new PairingSettings(PairingStrategy.RING, 0, t, RackMode.ACROSS));
                perfect(m, nodes);
                m.pairs().forEach(p -> assertTrue(met.add(Set.of(p.server(), p.client())), "met twice: " + p));
            }
            assertEquals(n * (n - 1) / 2, met.size(), "n=" + n);
        }
        PairingSettings next = new PairingSettings(PairingStrategy.RING, 0, 8, RackMode.ACROSS);
        assertEquals(FirstRoundPairing.match(NODES.subList(0, 8), next),
                FirstRoundPairing.match(NODES.subList(0, 8), new PairingSettings(PairingStrategy.RING, 0, 1, RackMode.ACROSS)));
    }

    @Test
    void acrossRacksEveryPairSpansTwoRacks() {
        for (int n : List.of(40, 39, 17)) {
            List<TestNode> nodes = NODES.subList(0, n);
            Matching m = FirstRoundPairing.match(nodes, new PairingSettings(PairingStrategy.RACK, 3, 0, RackMode.ACROSS));
            perfect(m, nodes);
            m.pairs().forEach(p -> assertTrue(BY_NAME.get(p.server()).inOtherRackThan(BY_NAME.get(p.client())), p.toString()));
        }
    }

    @Test
    void withinRacksPairsStayInTheirRackButForOddRacksLeftovers() {
        List<TestNode> nodes = NODES.subList(0, 37); // racks of 8, 8, 8, 8, 5
        Matching m = FirstRoundPairing.match(nodes, new PairingSettings(PairingStrategy.RACK, 3, 0, RackMode.WITHIN));
        perfect(m, nodes);
        long across = m.pairs().stream().filter(p -> BY_NAME.get(p.server()).inOtherRackThan(BY_NAME.get(p.client()))).count();
        assertEquals(0, across);
        assertTrue(BY_NAME.get(m.oddNode()).rack().equals("rack4"));
        assertNull(FirstRoundPairing.match(NODES, new PairingSettings(PairingStrategy.RACK, 3, 0, RackMode.WITHIN)).oddNode());
    }
}
