package dev.neper.fleet.operator.bench;

import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.metrics.FleetMetrics;
import dev.neper.fleet.operator.metrics.TestMetrics;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetKubelet;
import dev.neper.fleet.operator.testing.FleetNetwork;
import dev.neper.fleet.operator.testing.FleetSpecBuilder;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.TestApiServer;
import dev.neper.fleet.runner.contract.ErrorKind;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.neper.fleet.operator.bench.BenchReport.report;
import static dev.neper.fleet.operator.bench.BenchReport.seconds;
import static dev.neper.fleet.operator.bench.BenchReport.usedHeapAfterGc;

/**
 * Not a test: the fleet run's benchmark (1,000 nodes x 8 rails by default) against the test server,
 * run by bench/fleet-scale.sh. The benchmark's kubelet answers every pod at once (discovery reports, servers
 * ready, links measured), so the time from the fleet test's creation to its verdicts is all overhead: what
 * a run costs beyond its waves' test durations. Faults (1% bad nodes, 1% bad devices) make rounds 2 and 3
 * run. It counts the operator's API writes (the server's requests, the tests' own left out), the heap of
 * this JVM (the operator, the test server holding every object and the kubelet together: an upper bound
 * of the operator's) and the status's size.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
@EnabledIfSystemProperty(named = "neper-fleet.bench", matches = "true")
class FleetRunScaleBenchmark extends FleetTest {
    private static final int NODES = Integer.getInteger("neper-fleet.bench.nodes", 1000);
    private static final int RAILS = Integer.getInteger("neper-fleet.bench.rails", 8);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    @Inject
    MeterRegistry registry;

    @Test
    void fleetRun() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        FleetNetwork network = new FleetNetwork("bench", NODES, RAILS);
        int faults = Math.max(1, NODES / 100);
        for (int i = 0; i < faults; i++) {
            network.bad(7 + i * 97 % NODES);
            network.failing(11 + i * 89 % NODES, "eth" + (1 + i % RAILS), ErrorKind.LINK_DOWN);
            network.slow(13 + i * 83 % NODES, "eth" + (1 + (i + 3) % RAILS));
        }
        fleet.readyNodes(Map.of("pool", "bench"), network.nodeNames());
        Requests requests = new Requests();
        requests.drain(server);
        long heapBefore = usedHeapAfterGc(memory);
        double fleetWrites = registry.counter(FleetMetrics.STATUS_WRITES).count();
        double testWrites = registry.counter(TestMetrics.STATUS_WRITES).count();

        Thread counter = Thread.ofPlatform().daemon().start(() -> requests.countUntilStopped(server));
        long peakHeap;
        NeperFleetTestStatus status;
        long created;
        long discovered;
        long done;
        int kubeletWrites;
        try (FleetKubelet kubelet = new FleetKubelet(fleet.client(), fleet.namespace(), "bench", network).start()) {
            created = System.nanoTime();
            fleet.createFleet(FleetSpecBuilder.fleetSpec().selector(Map.of("pool", "bench"))
                    .devices(network.devices()).minLinkGbps(100.0).startDeadline("10m").named("bench"));
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> phase() == FleetPhase.Running
                    || (phase() != null && phase().isTerminal()));
            discovered = System.nanoTime();
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> phase() != null
                    && phase().isTerminal());
            done = System.nanoTime();
            peakHeap = usedHeapAfterGc(memory);
            status = fleet.fleetTest("bench").getStatus();
            kubeletWrites = kubelet.writes();
        } finally {
            requests.stop(counter);
        }
        int statusBytes = Serialization.asJson(status).getBytes(StandardCharsets.UTF_8).length;

        System.out.println("=== FleetRunScaleBenchmark: " + NODES + " nodes x " + RAILS + " rails ===");
        report("create -> Running (discovery: %d pods, the record written): %.2f s", NODES, seconds(created, discovered));
        report("Running -> %s (%s): %.2f s", status.phase(), status.reason(), seconds(discovered, done));
        report("create -> verdicts: %.2f s, beyond the waves' test durations (%d waves: add %d x the duration)",
                seconds(created, done), status.progress().wavesDone(), status.progress().wavesDone());
        report("rounds %d, waves %d, pair tests %d, child NeperTests %d; verdicts %s; faults named %d",
                status.summary().rounds(), status.progress().wavesDone(), status.summary().pairTests(),
                fleet.children("bench").size(), status.summary().counts(), status.faults());
        report("API writes by the operator: %s (%d in all)", requests.writes, requests.total());
        report("status writes: %.0f of the NeperFleetTest, %.0f of its children (the operator's counters)",
                registry.counter(FleetMetrics.STATUS_WRITES).count() - fleetWrites,
                registry.counter(TestMetrics.STATUS_WRITES).count() - testWrites);
        report("status size: %.1f KiB of JSON (%d nodes listed)", statusBytes / 1024.0, status.summary().faulty().size());
        report("the benchmark kubelet's pod status writes: %d", kubeletWrites);
        report("heap used after GC: %d MiB before the run, %d MiB at its end (operator, test server and kubelet in one JVM)",
                heapBefore >> 20, peakHeap >> 20);
    }

    private FleetPhase phase() {
        NeperFleetTest test = fleet.fleetTest("bench");
        return test == null || test.getStatus() == null ? null : test.getStatus().phase();
    }

    /** The server's requests, counted as they come (kept, they would inflate the heap being measured). */
    private static final class Requests {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        final Map<String, Long> writes = new TreeMap<>();
        final AtomicBoolean stopped = new AtomicBoolean();

        void drain(io.quarkus.test.kubernetes.client.KubernetesServer server) throws InterruptedException {
            while (server.getKubernetesMockServer().takeRequest(1, TimeUnit.MILLISECONDS) != null) {
                // the nodes' creation is not part of the measurement
            }
        }

        void countUntilStopped(io.quarkus.test.kubernetes.client.KubernetesServer server) {
            try {
                while (!stopped.get()) {
                    RecordedRequest request = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS);
                    if (request == null || Fleet.USER_AGENT.equals(request.getHeader("User-Agent"))
                            || request.getMethod().equals("GET")) {
                        continue;
                    }
                    counts.computeIfAbsent(request.getMethod() + " " + resource(request.getPath()), k -> new AtomicLong())
                            .incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop(Thread counter) throws InterruptedException {
            stopped.set(true);
            counter.join(10_000);
            counts.forEach((k, v) -> writes.put(k, v.get()));
        }

        long total() {
            return writes.values().stream().mapToLong(Long::longValue).sum();
        }

        /** "pods", "nepertests/status", "events": the resource after the namespace, the object's name left out. */
        static String resource(String path) {
            String[] parts = path.split("\\?")[0].split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                if (parts[i].equals("namespaces") && i + 2 < parts.length) {
                    String resource = parts[i + 2];
                    return i + 4 < parts.length ? resource + "/" + parts[i + 4] : resource;
                }
            }
            return path;
        }
    }
}
