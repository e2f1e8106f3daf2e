package dev.neper.fleet.operator.metrics;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's Prometheus metrics (on /q/metrics):
 * <ul>
 *   <li>{@code neper_link_throughput_gbps{namespace,test,pair,server,client,device}}: each measured link's receiver
 *       throughput, kept until the NeperTest is deleted or rerun;</li>
 *   <li>{@code neper_tests_completed_total{outcome,reason}}: tests that ended, by phase and reason;</li>
 *   <li>{@code neper_reconcile_seconds}: reconcile durations;</li>
 *   <li>{@code neper_status_writes_total} and {@code neper_runner_pods_created_total{role}}: the operator's API writes.</li>
 * </ul>
 */
@ApplicationScoped
public class TestMetrics {
    public static final String LINK_THROUGHPUT = "neper.link.throughput.gbps";
    public static final String TESTS_COMPLETED = "neper.tests.completed";
    public static final String RECONCILE = "neper.reconcile";
    public static final String STATUS_WRITES = "neper.status.writes";
    public static final String PODS_CREATED = "neper.runner.pods.created";

    private final MeterRegistry registry;
    private final Timer reconcile;
    private final Counter statusWrites;
    /** Per test uid: its links' gauges. */
    private final Map<String, GaugeSet> links = new ConcurrentHashMap<>();

    public TestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reconcile = Timer.builder(RECONCILE).description("NeperTest reconcile duration").register(registry);
        this.statusWrites = Counter.builder(STATUS_WRITES).description("NeperTest status writes").register(registry);
    }

    public void reconciled(Duration duration) {
        reconcile.record(duration);
    }

    public void statusWritten() {
        statusWrites.increment();
    }

    public void podCreated(String role) {
        registry.counter(PODS_CREATED, "role", role).increment();
    }

    public void completed(NeperTestStatus status) {
        registry.counter(TESTS_COMPLETED, "outcome", status.phase().name(), "reason", String.valueOf(status.reason()))
                .increment();
    }

    /** Sets the throughput gauges of every link the status has a number for. */
    public void linkResults(NeperTest test, NeperTestStatus status) {
        GaugeSet gauges = links.computeIfAbsent(test.getMetadata().getUid(), uid -> new GaugeSet(registry));
        List<PairStatus> pairs = status.pairList();
        for (int i = 0; i < pairs.size(); i++) {
            PairStatus pair = pairs.get(i);
            for (LinkResult link : pair.links()) {
                if (link.gbps() == null) {
                    continue;
                }
                Tags tags = Tags.of("namespace", test.getMetadata().getNamespace(), "test", test.getMetadata().getName(),
                        "pair", Integer.toString(i), "server", pair.server(), "client", pair.client(),
                        "device", link.device());
                gauges.set(new GaugeSet.Series(LINK_THROUGHPUT, tags,
                        "Receiver throughput of a NeperTest link, Gbit/s (neper's number)"), link.gbps());
            }
        }
    }

    /** Drops a test's link gauges: it was deleted, or restarts with a new spec. */
    public void forget(String testUid) {
        GaugeSet gauges = links.remove(testUid);
        if (gauges != null) {
            gauges.clear();
        }
    }
}
