package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.runner.contract.ErrorKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A pair's per-link results from both runners' summaries. */
@Tag("unit")
class LinkResultsTest {
    private static final NeperTestSpec SPEC = SpecBuilder.spec().pair("s0", "c0", 2).build();

    @Test
    void aDeviceDownOnEitherSideIsNamedFirstAsTheCause() {
        var server = RunnerReports.withLinkError(RunnerReports.server(List.of("eth1", "eth2"), List.of(90.0, 1.0), false),
                "eth2", ErrorKind.CONNECT_FAILED, "no client came to eth2");
        var client = RunnerReports.withLinkError(RunnerReports.client(List.of("eth1", "eth2")), "eth2", ErrorKind.LINK_DOWN,
                "eth2 is down (operstate), before the link carried any traffic");
        List<LinkResult> links = LinkResults.of(SPEC, SPEC.pairs().getFirst().linkList(), PairPhase.Failed, "failed",
                server, client);
        assertEquals(LinkVerdict.Passed, links.get(0).verdict());
        assertEquals("client eth2: LINK_DOWN: eth2 is down (operstate), before the link carried any traffic;"
                + " server eth2: CONNECT_FAILED: no client came to eth2", links.get(1).error());

        var serverDown = RunnerReports.withLinkError(RunnerReports.server(List.of("eth1", "eth2"), List.of(90.0, 1.0), false),
                "eth2", ErrorKind.LINK_DOWN, "eth2 is down (operstate), after the link carried 4.50 GB");
        var clientLost = RunnerReports.withLinkError(RunnerReports.client(List.of("eth1", "eth2")), "eth2",
                ErrorKind.CONTROL_PROTOCOL, "no SER_BYE");
        assertEquals("server eth2: LINK_DOWN: eth2 is down (operstate), after the link carried 4.50 GB;"
                + " client eth2: CONTROL_PROTOCOL: no SER_BYE", LinkResults.of(SPEC, SPEC.pairs().getFirst().linkList(),
                PairPhase.Failed, "failed", serverDown, clientLost).get(1).error());
    }
}
