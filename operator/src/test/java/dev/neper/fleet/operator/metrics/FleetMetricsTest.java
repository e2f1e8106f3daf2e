package dev.neper.fleet.operator.metrics;

import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.testing.FleetRunFixture;
import dev.neper.fleet.operator.testing.Scrape;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet gauges as Prometheus scrapes them: names, labels, values, and how many series a run leaves. */
@Tag("unit")
class FleetMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FleetMetrics metrics = new FleetMetrics(registry);
    private static final Map<String, String> FLEET = Map.of("namespace", "neper-fleet", "fleet_test", "nightly");

    private Scrape scrape() {
        return new Scrape(registry.scrape());
    }

    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> labels = new java.util.HashMap<>(FLEET);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            labels.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return labels;
    }

    @Test
    void aCompletedRunShowsEveryNodeAndDeviceWithItsNumberAndVerdict() {
        metrics.ended(FleetRunFixture.fleetTest(), FleetRunFixture.status(), FleetRunFixture.children(), node -> true);
        Scrape scrape = scrape();
        assertEquals(4.9, scrape.value("neper_fleet_device_throughput_gbps", with("node", "node-1", "device", "eth1")));
        assertEquals(0.2, scrape.value("neper_fleet_device_throughput_gbps", with("node", "node-4", "device", "eth2")));
        // 5 tested nodes x 2 devices; the skipped node has no number
        assertEquals(10, scrape.of("neper_fleet_device_throughput_gbps").size());
        assertEquals(1.0, scrape.value("neper_fleet_device_verdict", with("node", "node-4", "device", "eth2",
                "verdict", "LinkFault")));
        assertEquals(1.0, scrape.value("neper_fleet_device_verdict", with("node", "node-4", "device", "eth1",
                "verdict", "Healthy")));
        assertEquals(12, scrape.of("neper_fleet_device_verdict").size(), "one series per node and device");
        assertEquals(1.0, scrape.value("neper_fleet_node_verdict", with("node", "node-3", "verdict", "NodeFault")));
        assertEquals(6, scrape.of("neper_fleet_node_verdict").size(), "one series per node");
        assertEquals(3.0, scrape.value("neper_fleet_nodes", with("verdict", "Healthy")));
        assertEquals(0.0, scrape.value("neper_fleet_nodes", with("verdict", "Unqualified")), "every verdict, 0 too");
        assertEquals(FleetMetrics.NODE_VERDICTS.size(), scrape.of("neper_fleet_nodes").size());
        assertEquals(2.0, scrape.value("neper_fleet_faults", FLEET));
        assertEquals(4.6, scrape.value("neper_fleet_rail_median_gbps", with("rail", "eth1")));
        assertEquals(0.0, scrape.value("neper_fleet_rail_faults", with("rail", "eth2")));
        assertEquals(210.0, scrape.value("neper_fleet_last_run_duration_seconds", FLEET));
        double end = java.time.Instant.parse("2026-01-15T02:03:30Z").getEpochSecond();
        assertEquals(end, scrape.value("neper_fleet_last_run_end_timestamp_seconds", FLEET));
        assertEquals(end, scrape.value("neper_fleet_last_success_timestamp_seconds", FLEET));
        assertEquals(1.0, scrape.value("neper_fleet_last_run_info", with("run_id", FleetRunFixture.RUN_ID,
                "phase", "Completed", "reason", "FaultsFound")));
    }

    @Test
    void theNextRunReplacesTheSeriesSoANodeThatLeftLeavesNone() {
        NeperFleetTest fleet = FleetRunFixture.fleetTest();
        metrics.ended(fleet, FleetRunFixture.status(), FleetRunFixture.children(), node -> true);
        // the next run: node-5 is gone from the fleet, node-6 too; it failed
        NeperFleetTestStatus failed = NeperFleetTestStatus.builder().phase(FleetPhase.Failed).reason("RecordLost")
                .runId("20260116-020000").startTime("2026-01-16T02:00:00Z").completionTime("2026-01-16T02:01:00Z").build();
        metrics.ended(fleet, failed, List.of(), node -> true);
        Scrape scrape = scrape();
        assertEquals(List.of(), scrape.of("neper_fleet_device_throughput_gbps"), "a failed run has no numbers");
        assertEquals(List.of(), scrape.of("neper_fleet_node_verdict"));
        assertEquals(1.0, scrape.value("neper_fleet_last_run_info", with("phase", "Failed", "reason", "RecordLost")));
        assertEquals(1, scrape.of("neper_fleet_last_run_info").size(), "only the last run's");
        assertEquals(java.time.Instant.parse("2026-01-15T02:03:30Z").getEpochSecond(),
                scrape.value("neper_fleet_last_success_timestamp_seconds", FLEET), "the last success stays");
        assertEquals(0.0, scrape.value("neper_fleet_nodes", with("verdict", "Healthy")));
    }

    @Test
    void aNodeThatLeftTheClusterLosesItsSeriesAtOnceAndIsLeftOutWhenARunIsShownAgain() {
        NeperFleetTest fleet = FleetRunFixture.fleetTest();
        metrics.ended(fleet, FleetRunFixture.status(), FleetRunFixture.children(), node -> true);
        metrics.nodeLeft("node-3");
        Scrape scrape = scrape();
        assertTrue(scrape.of("neper_fleet_node_verdict").stream().noneMatch(s -> "node-3".equals(s.labels().get("node"))));
        assertEquals(8, scrape.of("neper_fleet_device_throughput_gbps").size());
        assertEquals(1.0, scrape.value("neper_fleet_nodes", with("verdict", "NodeFault")), "the run's counts stay as found");

        // a new leader shows the ended run from its children: the node that left is not in the cluster
        PrometheusMeterRegistry leaders = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FleetMetrics(leaders).ended(fleet, FleetRunFixture.status(), FleetRunFixture.children(),
                node -> !node.equals("node-3"));
        assertEquals(5, new Scrape(leaders.scrape()).of("neper_fleet_node_verdict").size());
    }

    @Test
    void marksAndTheBudgetFromTheStatusAndTheLastSuccessFromTheKeptRuns() {
        NeperFleetTestStatus status = FleetRunFixture.status().toBuilder()
                .marking(new dev.neper.fleet.operator.api.FleetMarkingStatus(FleetRunFixture.RUN_ID, true, true,
                        "2 nodes faulty of a budget of 1", 2, 1, List.of(), null, null))
                .build();
        metrics.ended(FleetRunFixture.fleetTest(), status, FleetRunFixture.children(), node -> true);
        Scrape scrape = scrape();
        assertEquals(1.0, scrape.value("neper_fleet_marking_budget_tripped", FLEET));
        assertEquals(1.0, scrape.value("neper_fleet_marking_dry_run", FLEET));
        assertEquals(2.0, scrape.value("neper_fleet_last_run_marks", with("action", "set")));
        assertEquals(1.0, scrape.value("neper_fleet_last_run_marks", with("action", "cleared")));

        // a new leader, the last run failed: the kept runs still say when one last completed
        NeperFleetTestStatus failed = NeperFleetTestStatus.builder().phase(FleetPhase.Failed).reason("RecordLost")
                .runId("20260116-020000").startTime("2026-01-16T02:00:00Z").completionTime("2026-01-16T02:01:00Z")
                .history(List.of(new dev.neper.fleet.operator.api.FleetHistoryEntry(FleetRunFixture.RUN_ID,
                                "2026-01-15T02:00:00Z", "2026-01-15T02:03:30Z", "FaultsFound", Map.of("Healthy", 3), List.of()),
                        new dev.neper.fleet.operator.api.FleetHistoryEntry("20260116-020000", "2026-01-16T02:00:00Z",
                                "2026-01-16T02:01:00Z", "RecordLost", Map.of(), List.of())))
                .build();
        PrometheusMeterRegistry leaders = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FleetMetrics(leaders).ended(FleetRunFixture.fleetTest(), failed, List.of(), node -> true);
        assertEquals(java.time.Instant.parse("2026-01-15T02:03:30Z").getEpochSecond(),
                new Scrape(leaders.scrape()).value("neper_fleet_last_success_timestamp_seconds", FLEET));
    }

    @Test
    void aRunShownOnceIsNotRebuiltAndADeletedFleetTestLeavesNoSeries() {
        NeperFleetTest fleet = FleetRunFixture.fleetTest();
        metrics.ended(fleet, FleetRunFixture.status(), FleetRunFixture.children(), node -> true);
        // a reconcile of the ended run without its children (they are its evidence: here, gone) changes nothing
        metrics.ended(fleet, FleetRunFixture.status(), List.of(), node -> true);
        assertEquals(10, scrape().of("neper_fleet_device_throughput_gbps").size());
        metrics.forget(fleet.getMetadata().getUid());
        String text = registry.scrape();
        assertTrue(!text.contains("fleet_test=\"nightly\""), text);
    }

    @Test
    void aFleetOfAThousandNodesByEightDevicesLeavesAboutSeventeenThousandSeries() {
        List<dev.neper.fleet.operator.api.NeperTest> children = new java.util.ArrayList<>();
        List<dev.neper.fleet.operator.api.PairStatus> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i += 2) {
            dev.neper.fleet.operator.api.LinkResult[] links = new dev.neper.fleet.operator.api.LinkResult[8];
            for (int d = 0; d < 8; d++) {
                links[d] = FleetRunFixture.link("eth" + (d + 1), 190.0 + d);
            }
            pairs.add(FleetRunFixture.pair("gke-a3-" + i, "gke-a3-" + (i + 1), links));
        }
        children.add(FleetRunFixture.child("r1w1-p1", 1, pairs));
        NeperFleetTestStatus status = FleetRunFixture.status().toBuilder().summary(null).build();
        metrics.ended(FleetRunFixture.fleetTest(), status, children, node -> true);
        Scrape scrape = scrape();
        assertEquals(8000, scrape.of("neper_fleet_device_throughput_gbps").size());
        assertEquals(8000, scrape.of("neper_fleet_device_verdict").size());
        assertEquals(1000, scrape.of("neper_fleet_node_verdict").size());
    }
}
