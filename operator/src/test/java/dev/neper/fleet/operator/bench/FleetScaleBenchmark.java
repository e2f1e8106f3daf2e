package dev.neper.fleet.operator.bench;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.metrics.TestMetrics;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;

import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.neper.fleet.operator.bench.BenchReport.report;
import static dev.neper.fleet.operator.bench.BenchReport.seconds;
import static dev.neper.fleet.operator.bench.BenchReport.usedHeapAfterGc;

/**
 * Not a test: the 1,000-node benchmark (500 pairs x 8 links) against the test server, run by
 * bench/operator-scale.sh. Measures the time from create to all pods created, status writes per
 * minute and heap. Heap is this JVM's: the operator, the test server holding every object, and the
 * benchmark's kubelet share it, so the operator's own share is smaller than the figure.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
@EnabledIfSystemProperty(named = "neper-fleet.bench", matches = "true")
class FleetScaleBenchmark extends FleetTest {
    private static final int PAIRS = Integer.getInteger("neper-fleet.bench.pairs", 500);
    private static final int LINKS = Integer.getInteger("neper-fleet.bench.links", 8);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Inject
    MeterRegistry registry;

    @Test
    void thousandNodeTest() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<String> devices = new ArrayList<>();
        for (int l = 1; l <= LINKS; l++) {
            devices.add("eth" + l);
        }
        SpecBuilder spec = SpecBuilder.spec().minLinkGbps(100).deadlines("10m", "30m");
        for (int i = 0; i < PAIRS; i++) {
            fleet.nodes("bench-s" + i, "bench-c" + i);
            spec.pair("bench-s" + i, "bench-c" + i, LINKS);
        }
        drain();
        long heapBefore = usedHeapAfterGc(memory);
        double writesBefore = registry.counter(TestMetrics.STATUS_WRITES).count();

        long created = System.nanoTime();
        fleet.create(spec.named("bench"));
        await(() -> fleet.pods("bench").size() >= PAIRS);
        long serversCreated = System.nanoTime();
        for (int i = 0; i < PAIRS; i++) {
            fleet.kubelet().ready("bench-server-" + i);
        }
        long serversReady = System.nanoTime();
        await(() -> fleet.pods("bench").size() >= 2 * PAIRS);
        long clientsCreated = System.nanoTime();
        for (int i = 0; i < PAIRS; i++) {
            fleet.kubelet().succeeded("bench-client-" + i, RunnerReports.client(devices));
            List<Double> gbps = new ArrayList<>();
            for (int l = 0; l < LINKS; l++) {
                gbps.add(150.0 + (i * LINKS + l) % 50);
            }
            fleet.kubelet().succeeded("bench-server-" + i, RunnerReports.server(devices, gbps, false));
        }
        await(() -> {
            NeperTest test = fleet.get("bench");
            return test.getStatus() != null && test.getStatus().phase() == TestPhase.Succeeded;
        });
        long succeeded = System.nanoTime();
        long heapPeak = usedHeapAfterGc(memory);
        double writes = registry.counter(TestMetrics.STATUS_WRITES).count() - writesBefore;
        int statusPatches = countStatusPatches();
        NeperTest done = fleet.get("bench");
        double minutes = (succeeded - created) / 60e9;

        System.out.println("=== FleetScaleBenchmark: " + PAIRS + " pairs x " + LINKS + " links ("
                + 2 * PAIRS + " nodes, " + PAIRS * LINKS + " links) ===");
        report("create -> all %d server pods created: %.2f s", PAIRS, seconds(created, serversCreated));
        report("last server ready -> all %d client pods created: %.2f s", PAIRS, seconds(serversReady, clientsCreated));
        report("create -> all %d pods created (benchmark kubelet readied servers in %.2f s): %.2f s", 2 * PAIRS,
                seconds(serversCreated, serversReady), seconds(created, clientsCreated));
        report("clients created -> Succeeded with %s links passed (benchmark kubelet reporting %d pods): %.2f s",
                done.getStatus().summary().links(), 2 * PAIRS, seconds(clientsCreated, succeeded));
        report("create -> Succeeded: %.2f s", seconds(created, succeeded));
        report("status writes: %.0f (operator's counter), %d status PATCH requests seen by the server,"
                + " %.1f per minute over the run", writes, statusPatches, writes / minutes);
        report("status size: %d KiB of JSON for %d pairs and %s links",
                Serialization.asJson(done.getStatus()).length() >> 10, PAIRS,
                done.getStatus().summary().linksTotal());
        report("heap used after GC: %d MiB before the test, %d MiB at its end (operator, test server and"
                + " kubelet in one JVM)", heapBefore >> 20, heapPeak >> 20);
    }

    private void await(java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(condition);
    }

    private int countStatusPatches() throws InterruptedException {
        int count = 0;
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (request.getMethod().equals("PATCH") && request.getPath().endsWith("/nepertests/bench/status")) {
                count++;
            }
        }
        return count;
    }

    private void drain() throws InterruptedException {
        while (server.getKubernetesMockServer().takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // the nodes' creation is not part of the measurement
        }
    }
}
