package dev.neper.fleet.operator.fleet.summary;

import dev.neper.fleet.operator.api.FleetSummary;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neper.fleet.operator.fleet.sim.SimConfig;
import dev.neper.fleet.operator.fleet.sim.Simulation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status form stays small at 1,000 nodes x 8 rails, even with a quarter of the nodes faulty. */
@Tag("unit")
class FleetSummaryTest {
    private static final int STATUS_BUDGET = 256 * 1024;

    private static int jsonSize(FleetSummary summary) throws Exception {
        return new ObjectMapper().writeValueAsBytes(summary).length;
    }

    @Test
    void aTypicalNightListsOnlyTheFewFaultyNodes() throws Exception {
        Simulation.Outcome outcome = Simulation.run(SimConfig.builder(1000, 8, 5).badNodes(10).badLinks(10).badPaths(3)
                .flaky(3).badRackRails(1).build());
        FleetSummary summary = outcome.summary();
        assertEquals(1000, summary.nodes());
        assertEquals(20, summary.faulty().size());
        assertEquals(8, summary.rails().size());
        assertEquals(980, summary.counts().get("Healthy"));
        int size = jsonSize(summary);
        System.out.println("fleet summary, 1,000 nodes x 8 rails, 20 faulty nodes: " + size + " bytes");
        assertTrue(size < 32 * 1024, size + " bytes");
    }

    @Test
    void aQuarterOfTheFleetFaultyStillFitsTheStatusBudget() throws Exception {
        Simulation.Outcome outcome = Simulation.run(SimConfig.builder(1000, 8, 6).badNodes(125).badLinks(75).badPaths(10)
                .flaky(30).badRails(1).badRackRails(2).build());
        FleetSummary summary = outcome.summary();
        assertEquals(200, summary.faulty().size());
        int size = jsonSize(summary);
        System.out.println("fleet summary, 1,000 nodes x 8 rails, 200 faulty nodes, 10 paths, 30 flaky pairs: " + size + " bytes");
        assertTrue(size < STATUS_BUDGET, size + " bytes");
        assertTrue(summary.faulty().stream().allMatch(n -> n.evidence().size() <= FleetSummaries.MAX_EVIDENCE_LINES));
    }
}
