package dev.neper.fleet.operator.metrics;

import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The fleet runs' operator metrics (on /q/metrics): {@code neper_fleet_runs_completed_total{outcome,reason}},
 * {@code neper_fleet_reconcile_seconds}, {@code neper_fleet_status_writes_total} and
 * {@code neper_fleet_objects_created_total{kind}} (discovery pods, child NeperTests, records: the run's API writes).
 */
@ApplicationScoped
public class FleetMetrics {
    public static final String RUNS_COMPLETED = "neper.fleet.runs.completed";
    public static final String RECONCILE = "neper.fleet.reconcile";
    public static final String STATUS_WRITES = "neper.fleet.status.writes";
    public static final String OBJECTS_CREATED = "neper.fleet.objects.created";

    private final MeterRegistry registry;
    private final Timer reconcile;
    private final Counter statusWrites;

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
}
