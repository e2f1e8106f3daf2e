package dev.neper.fleet.operator.report;

import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.testing.FleetRunFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class FleetReportPageTest {
    static FleetRun fixture() {
        return new FleetRun(FleetRunFixture.NAMESPACE, FleetRunFixture.NAME, FleetRunFixture.status(),
                FleetRunFixture.children(), List.of(FleetRun.RunLine.of(FleetRunFixture.NAME, FleetRunFixture.status())));
    }

    private static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void onePageWithNothingToFetch() {
        String html = FleetReportPage.render(fixture(), Instant.parse("2026-01-15T03:00:00Z"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        for (String external : List.of("<script", "src=", "<link", "url(", "http:", "https:", "@import")) {
            assertFalse(html.contains(external), external + " in a self-contained page");
        }
    }

    @Test
    void theHeatmapHasACellPerNodeAndDeviceAndMarksTheFaultyOnes() {
        String html = FleetReportPage.render(fixture(), Instant.EPOCH);
        assertEquals(12, count(html, "<td class=\"cell"), "6 nodes x 2 devices");
        assertEquals(3, count(html, "<td class=\"cell faulty\" style=\"background:" + FleetReportPage.FAULTY),
                "node-3's two devices and node-4's eth2");
        assertTrue(html.contains("title=\"node-4 eth2: LinkFault, 0.2 Gbit/s\""), html);
        assertTrue(html.contains("title=\"node-6 eth1: Skipped\""), html);
        assertEquals(7, count(html, "<td class=\"cell\" style=\"background:" + FleetReportPage.AT_SPEED),
                "every healthy device with a number is within 10% of its rail's median");
    }

    @Test
    void theVerdictsWithTheirEvidenceThePathsRailsAndRuns() {
        String html = FleetReportPage.render(fixture(), Instant.EPOCH);
        assertTrue(html.contains("r2 node-1: eth2 LINK_DOWN"), "the evidence lines");
        assertTrue(html.contains("2 of 2 devices fail with good partners node-1, node-2"), "the reason");
        assertTrue(html.contains("node-2 - node-5"), "the flaky pair");
        assertEquals(2, count(html, "<svg "), "a distribution per rail");
        assertTrue(html.contains("3 round-1 samples, min 0.2, median 4.6, MAD 0.3 Gbit/s"), "eth1's statistics");
        assertTrue(html.contains("<td>" + FleetRunFixture.RUN_ID + "</td><td>Completed</td><td>FaultsFound</td>"),
                "the run in the last runs");
    }

    @Test
    void theMarkingAndTheKeptRuns() {
        NeperFleetTestStatus status = FleetRunFixture.status().toBuilder()
                .marking(new dev.neper.fleet.operator.api.FleetMarkingStatus(FleetRunFixture.RUN_ID, true, false, null, 1, 0,
                        List.of(new dev.neper.fleet.operator.api.MarkingAction("node-3", "wouldSet",
                                List.of("condition NeperNetworkHealthy=False"))), null, null))
                .history(List.of(new dev.neper.fleet.operator.api.FleetHistoryEntry("20260114-020000", "2026-01-14T02:00:00Z",
                        "2026-01-14T02:04:00Z", "Completed", java.util.Map.of("Healthy", 6), List.of())))
                .build();
        dev.neper.fleet.operator.api.NeperFleetTest fleet = FleetRunFixture.fleetTest();
        fleet.setStatus(status);
        String html = FleetReportPage.render(new FleetRun(FleetRunFixture.NAMESPACE, FleetRunFixture.NAME, status,
                FleetRunFixture.children(), List.of(FleetRun.RunLine.of(FleetRunFixture.NAME, status.history().getFirst()))),
                Instant.EPOCH);
        assertTrue(html.contains("Dry run: what would be marked. 1 node(s) marked, 0 cleared (would be)."), html);
        assertTrue(html.contains("<td>node-3</td><td>wouldSet</td><td>condition NeperNetworkHealthy=False</td>"), html);
        assertTrue(html.contains("<td>20260114-020000</td><td>Completed</td><td>Completed</td>"), html);
        assertTrue(html.contains("<td>6/6</td>"), html);
    }

    @Test
    void namesAreEscaped() {
        NeperFleetTestStatus status = FleetRunFixture.status();
        status = status.toBuilder().summary(new dev.neper.fleet.operator.api.FleetSummary(1, java.util.Map.of(), 0, 0, 0,
                1, 1, 1L, "random", 0, null, List.of(new NodeEntry("<b>x</b>", "Unqualified", List.of("eth1"),
                "a \"quoted\" & <odd> reason", List.of())), List.of(), List.of())).build();
        String html = FleetReportPage.render(new FleetRun("ns", "n", status, List.of(), List.of()), Instant.EPOCH);
        assertFalse(html.contains("<b>x</b>"));
        assertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assertTrue(html.contains("a &quot;quoted&quot; &amp; &lt;odd&gt; reason"));
    }
}
