package dev.neper.fleet.operator.fleettest.waves;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.WaveResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A wave's measurements from its children's link results: passed, failed with the runner's error kind, or left out. */
@Tag("unit")
class WaveResultsTest {
    @Test
    void passedLinksCarryTheirThroughputAndFailedOnesTheirKind() {
        NeperTest child = new NeperTest();
        child.setStatus(NeperTestStatus.builder().phase(TestPhase.Failed).reason(Reason.LinksFailed).pairs(List.of(
                new PairStatus("a", "b", PairPhase.Failed, "RunnerFailed", "server pod exited 1", List.of(
                        new LinkResult("eth1", 180.2, LinkVerdict.Passed, null, null, null, null),
                        new LinkResult("eth2", null, LinkVerdict.Failed, null, null, null,
                                "server eth2: PEER_LOST: client went away; client eth2: LINK_DOWN: eth2 is down"))),
                new PairStatus("c", "d", PairPhase.Failed, "PodUnschedulable", "0/9 nodes are available", List.of(
                        new LinkResult("eth1", null, LinkVerdict.Failed, null, null, null, "0/9 nodes are available"),
                        new LinkResult("eth2", null, LinkVerdict.Pending, null, null, null, null))))).build());
        WaveResult result = WaveResults.of(2, 3, List.of(child));
        assertEquals(2, result.round());
        assertEquals(3, result.index());
        assertEquals(List.of(
                new LinkMeasurement("a", "b", "eth1", 180.2, null, null),
                new LinkMeasurement("a", "b", "eth2", null, "LINK_DOWN",
                        "server eth2: PEER_LOST: client went away; client eth2: LINK_DOWN: eth2 is down"),
                new LinkMeasurement("c", "d", "eth1", null, "PodUnschedulable", "0/9 nodes are available")),
                result.links(), "a link still pending is left out: the planner counts it as NoResult");
    }

    @Test
    void theKindIsTheFirstErrorKindNamedUnlessADownLinkOrAMismatchIs() {
        assertEquals("CONNECT_FAILED", WaveResults.kind("client eth1: CONNECT_FAILED: refused; server eth1: NO_DATA", null));
        assertEquals("VALIDATION", WaveResults.kind("server eth1: NO_DATA; VALIDATION: 3 mismatches", null));
        assertEquals("DeadlineExceeded", WaveResults.kind("had not ended at the finish deadline", "DeadlineExceeded"));
        assertEquals("LinkFailed", WaveResults.kind(null, null));
    }
}
