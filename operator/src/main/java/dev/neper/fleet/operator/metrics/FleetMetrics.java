package dev.neper.fleet.operator.metrics;

import dev.neper.fleet.operator.api.FleetMarkingStatus;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.RailEntry;
import dev.neper.fleet.operator.runview.RunMatrix;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The fleet runs' operator metrics (on /q/metrics; every name and label in docs/metrics.md).
 *
 * <p>Counters of the operator's work: {@code neper_fleet_runs_completed_total{outcome,reason}},
 * {@code neper_fleet_reconcile_seconds}, {@code neper_fleet_status_writes_total},
 * {@code neper_fleet_objects_created_total{kind}}.
 *
 * <p>Gauges of each fleet test's last ended run, labelled {@code namespace} and {@code fleet_test}, replaced as a
 * whole when a run ends, removed when the fleet test is deleted (a node's when it leaves the cluster), so their
 * number is bounded by the fleets'
 * sizes, not by the runs: per node and device its Gbit/s and verdict, per node its verdict, nodes by verdict,
 * per rail its median and faults, the run's duration, end, last success and outcome.
 */
@ApplicationScoped
public class FleetMetrics {
    public static final String RUNS_COMPLETED = "neper.fleet.runs.completed";
    public static final String RECONCILE = "neper.fleet.reconcile";
    public static final String STATUS_WRITES = "neper.fleet.status.writes";
    public static final String OBJECTS_CREATED = "neper.fleet.objects.created";
    public static final String DEVICE_GBPS = "neper.fleet.device.throughput.gbps";
    public static final String DEVICE_VERDICT = "neper.fleet.device.verdict";
    public static final String NODE_VERDICT = "neper.fleet.node.verdict";
    public static final String NODES = "neper.fleet.nodes";
    public static final String FAULTS = "neper.fleet.faults";
    public static final String RAIL_MEDIAN = "neper.fleet.rail.median.gbps";
    public static final String RAIL_FAULTS = "neper.fleet.rail.faults";
    public static final String RUN_DURATION = "neper.fleet.last.run.duration.seconds";
    public static final String RUN_END = "neper.fleet.last.run.end.timestamp.seconds";
    public static final String LAST_SUCCESS = "neper.fleet.last.success.timestamp.seconds";
    public static final String RUN_INFO = "neper.fleet.last.run.info";
    public static final String MARKS = "neper.fleet.last.run.marks";
    public static final String MARKING_DRY_RUN = "neper.fleet.marking.dry.run";
    public static final String BUDGET_TRIPPED = "neper.fleet.marking.budget.tripped";
    /** The results (history entries, reasons) of runs that completed: verdicts reached, whatever they found. */
    public static final java.util.Set<String> COMPLETED_RESULTS = java.util.Set.of("Completed", "FaultsFound", "Inconclusive");
    /** Every verdict a node can have: nodes by verdict has a series for each, 0 included, for alerts to read. */
    public static final List<String> NODE_VERDICTS = List.of("Healthy", "LinkFault", "NodeFault", "Flaky", "Inconclusive",
            "Skipped", "Unqualified");

    private final MeterRegistry registry;
    private final Timer reconcile;
    private final Counter statusWrites;
    /** Per fleet test uid: its last ended run's gauges, and which run (id and end) they show. */
    private final Map<String, GaugeSet> runs = new ConcurrentHashMap<>();
    private final Map<String, String> shown = new ConcurrentHashMap<>();
    /** Per fleet test uid: its last success, kept when a later run fails. */
    private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();

    public FleetMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reconcile = Timer.builder(RECONCILE).description("NeperFleetTest reconcile duration").register(registry);
        this.statusWrites = Counter.builder(STATUS_WRITES).description("NeperFleetTest status writes").register(registry);
    }

    public void reconciled(Duration duration) {
        reconcile.record(duration);
    }

    public void statusWritten() {
        statusWrites.increment();
    }

    public void created(String kind) {
        registry.counter(OBJECTS_CREATED, "kind", kind).increment();
    }

    public void completed(NeperFleetTestStatus status) {
        registry.counter(RUNS_COMPLETED, "outcome", status.phase().name(), "reason", String.valueOf(status.reason()))
                .increment();
    }

    /**
     * Shows a run that ended (status Completed or Failed), from its status and child NeperTests, leaving out nodes
     * no longer in the cluster; a run already shown is left as it is, so this may be called on every reconcile of an
     * ended run (which a new leader's first reconciles are: it shows what the last one did).
     */
    public void ended(NeperFleetTest fleet, NeperFleetTestStatus status, Collection<NeperTest> children,
                      Predicate<String> nodeExists) {
        if (status == null || status.phase() == null || !status.phase().isTerminal()) {
            return;
        }
        String uid = fleet.getMetadata().getUid();
        // marking may be written after the verdicts: a run is shown again when its marking changed
        String run = status.runId() + "@" + status.completionTime() + "@" + status.marking();
        if (run.equals(shown.get(uid))) {
            return;
        }
        Tags fleetTags = Tags.of("namespace", fleet.getMetadata().getNamespace(), "fleet_test", fleet.getMetadata().getName());
        Map<GaugeSet.Series, Double> series = new HashMap<>();
        RunMatrix matrix = RunMatrix.of(status, children);
        for (RunMatrix.NodeRow node : matrix.nodes().stream().filter(n -> nodeExists.test(n.node())).toList()) {
            Tags nodeTags = fleetTags.and("node", node.node());
            series.put(new GaugeSet.Series(NODE_VERDICT, nodeTags.and("verdict", node.verdict()),
                    "1 for a node's verdict in the fleet test's last run"), 1.0);
            for (RunMatrix.DeviceCell cell : node.devices()) {
                Tags deviceTags = nodeTags.and("device", cell.device());
                series.put(new GaugeSet.Series(DEVICE_VERDICT, deviceTags.and("verdict", cell.verdict()),
                        "1 for a device's verdict in the fleet test's last run"), 1.0);
                if (cell.gbps() != null) {
                    series.put(new GaugeSet.Series(DEVICE_GBPS, deviceTags,
                            "The best receiver throughput of a node's device over its tests in the last run, Gbit/s"),
                            cell.gbps());
                }
            }
        }
        FleetSummary summary = status.summary();
        Map<String, Integer> counts = summary == null || summary.counts() == null ? Map.of() : summary.counts();
        for (String verdict : NODE_VERDICTS) {
            series.put(new GaugeSet.Series(NODES, fleetTags.and("verdict", verdict), "Nodes by verdict in the last run"),
                    (double) counts.getOrDefault(verdict, 0));
        }
        series.put(new GaugeSet.Series(FAULTS, fleetTags, "Faults the last run named: faulty nodes, paths and rails"),
                status.faults() == null ? 0.0 : status.faults());
        for (RailEntry rail : summary == null || summary.rails() == null ? List.<RailEntry>of() : summary.rails()) {
            Tags railTags = fleetTags.and("rail", rail.rail());
            if (rail.medianGbps() != null) {
                series.put(new GaugeSet.Series(RAIL_MEDIAN, railTags, "A rail's round-1 median in the last run, Gbit/s"),
                        rail.medianGbps());
            }
            series.put(new GaugeSet.Series(RAIL_FAULTS, railTags,
                    "Faults named on a rail in the last run: fleet-wide, or one per rack"),
                    rail.faults() == null ? 0.0 : rail.faults().size());
        }
        Instant start = instant(status.startTime());
        Instant end = instant(status.completionTime());
        if (start != null && end != null) {
            series.put(new GaugeSet.Series(RUN_DURATION, fleetTags, "The last run's duration, start to end, seconds"),
                    Duration.between(start, end).toMillis() / 1000.0);
        }
        if (end != null) {
            series.put(new GaugeSet.Series(RUN_END, fleetTags, "When the last run ended, Unix seconds"),
                    end.toEpochMilli() / 1000.0);
            if (status.phase() == FleetPhase.Completed) {
                lastSuccess.put(uid, end.toEpochMilli() / 1000.0);
            }
        }
        // the kept runs say when the last one completed, an operator restart or a failed run since notwithstanding
        status.historyList().stream().filter(h -> COMPLETED_RESULTS.contains(h.result()) && h.completionTime() != null)
                .map(h -> Instant.parse(h.completionTime()).toEpochMilli() / 1000.0)
                .forEach(time -> lastSuccess.merge(uid, time, Math::max));
        Double success = lastSuccess.get(uid);
        if (success != null) {
            series.put(new GaugeSet.Series(LAST_SUCCESS, fleetTags,
                    "When the fleet test's last run that completed (verdicts reached, whatever they found) ended, Unix seconds"),
                    success);
        }
        series.put(new GaugeSet.Series(RUN_INFO, fleetTags.and("run_id", String.valueOf(status.runId()),
                "phase", status.phase().name(), "reason", String.valueOf(status.reason())),
                "1 for the fleet test's last run: its id, phase and reason"), 1.0);
        FleetMarkingStatus marking = status.marking();
        if (marking != null) {
            series.put(new GaugeSet.Series(MARKS, fleetTags.and("action", "set"),
                    "Nodes whose marks the last run set or cleared (in a dry run: would)"), (double) marking.marksSet());
            series.put(new GaugeSet.Series(MARKS, fleetTags.and("action", "cleared"),
                    "Nodes whose marks the last run set or cleared (in a dry run: would)"), (double) marking.marksCleared());
            series.put(new GaugeSet.Series(MARKING_DRY_RUN, fleetTags, "1 when marking only says what it would do"),
                    marking.dryRun() ? 1.0 : 0.0);
            series.put(new GaugeSet.Series(BUDGET_TRIPPED, fleetTags,
                    "1 when the marking budget tripped: no more node is marked faulty until it is reset"),
                    marking.budgetTripped() ? 1.0 : 0.0);
        }
        runs.computeIfAbsent(uid, u -> new GaugeSet(registry)).replace(series);
        shown.put(uid, run);
    }

    /** Removes every series of a node that left the cluster. */
    public void nodeLeft(String node) {
        runs.values().forEach(gauges -> gauges.removeIf(series -> node.equals(series.tags().stream()
                .filter(t -> t.getKey().equals("node")).map(io.micrometer.core.instrument.Tag::getValue).findFirst()
                .orElse(null))));
    }

    /** Removes a fleet test's gauges: it was deleted. */
    public void forget(String fleetUid) {
        GaugeSet gauges = runs.remove(fleetUid);
        if (gauges != null) {
            gauges.clear();
        }
        shown.remove(fleetUid);
        lastSuccess.remove(fleetUid);
    }

    private static Instant instant(String time) {
        return time == null ? null : Instant.parse(time);
    }
}
