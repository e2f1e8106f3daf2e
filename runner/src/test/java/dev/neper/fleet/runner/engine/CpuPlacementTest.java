package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.sys.NumaNodes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuPlacementTest {
    private static final List<List<Integer>> TWO_NODES = List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));

    @Test
    void pinCpuTakesTheAllowedCpusRoundRobinAndWinsOverPinNuma() {
        List<Integer> allowed = List.of(1, 3, 5);
        assertEquals(List.of(1), CpuPlacement.forThread(0, true, true, allowed, TWO_NODES));
        assertEquals(List.of(5), CpuPlacement.forThread(2, true, false, allowed, TWO_NODES));
        assertEquals(List.of(1), CpuPlacement.forThread(3, true, false, allowed, TWO_NODES));
    }

    @Test
    void pinNumaPutsThreadIOnNodeIModTheNodesAllowedCpus() {
        List<Integer> allowed = List.of(0, 1, 2, 4, 5, 6, 7);
        assertEquals(List.of(0, 1, 2), CpuPlacement.forThread(0, false, true, allowed, TWO_NODES));
        assertEquals(List.of(4, 5, 6, 7), CpuPlacement.forThread(1, false, true, allowed, TWO_NODES));
        assertEquals(List.of(0, 1, 2), CpuPlacement.forThread(2, false, true, allowed, TWO_NODES));
        assertTrue(CpuPlacement.forThread(0, false, false, allowed, TWO_NODES).isEmpty(), "unpinned");
    }

    @Test
    void aNodeWithoutAllowedCpusIsAnError() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> CpuPlacement.forThread(1, false, true, List.of(0, 1), TWO_NODES));
        assertEquals("-N puts thread 1 on NUMA node 1, but none of that node's CPUs is allowed to this process",
                e.getMessage());
    }

    @Test
    void sysfsCpuListsAndThisMachinesNodes() {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), NumaNodes.parseList("0-3,8,10-11\n"));
        List<List<Integer>> nodes = NumaNodes.cpusByNode(List.of(99));
        assertTrue(!nodes.isEmpty() && !nodes.getFirst().isEmpty(), nodes.toString());
        assertTrue(nodes.stream().flatMap(List::stream).toList().contains(0), "cpu 0 is on some node: " + nodes);
    }
}
