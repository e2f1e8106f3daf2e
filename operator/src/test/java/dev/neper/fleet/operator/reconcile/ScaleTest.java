package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.metrics.TestMetrics;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 50 pairs: every pod, every link reported, and a handful of status writes for hundreds of pod changes. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class ScaleTest extends FleetTest {
    private static final int PAIRS = 50;
    private static final List<String> DEVICES = List.of("eth1", "eth2");


    @Inject
    MeterRegistry registry;


    @Test
    void fiftyPairsRunWithCoalescedStatusWrites() {
        SpecBuilder spec = SpecBuilder.spec().minLinkGbps(100);
        for (int i = 0; i < PAIRS; i++) {
            fleet.nodes("scale-s" + i, "scale-c" + i);
            spec.pair("scale-s" + i, "scale-c" + i, DEVICES.size());
        }
        double writesBefore = writes();
        fleet.create(spec.named("scale"));

        fleet.await("scale", t -> fleet.pods("scale").size() == PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            fleet.kubelet().running("scale-server-" + i);
            fleet.kubelet().ready("scale-server-" + i);
        }
        fleet.await("scale", t -> fleet.pods("scale").size() == 2 * PAIRS);
        fleet.awaitPhase("scale", TestPhase.Running);
        for (int i = 0; i < PAIRS; i++) {
            fleet.kubelet().running("scale-client-" + i);
            fleet.kubelet().succeeded("scale-client-" + i, RunnerReports.client(DEVICES));
            fleet.kubelet().succeeded("scale-server-" + i, RunnerReports.server(DEVICES, List.of(180.0 + i, 181.0 + i), false));
        }
        NeperTest done = fleet.awaitPhase("scale", TestPhase.Succeeded);

        assertEquals(PAIRS * DEVICES.size() + "/" + PAIRS * DEVICES.size(), done.getStatus().summary().links());
        assertEquals(180.0, done.getStatus().summary().minGbps());
        assertEquals(230.0, done.getStatus().summary().maxGbps());
        assertTrue(done.getStatus().pairs().stream().allMatch(p -> p.phase() == PairPhase.Succeeded));
        // 400 pod status changes (4 per pod) and 100 pod creations went by; the status was written a few times
        double statusWrites = writes() - writesBefore;
        System.out.printf("ScaleTest: %d pairs, %.0f status writes%n", PAIRS, statusWrites);
        assertTrue(statusWrites <= 25, "status writes: " + statusWrites);
        assertEquals(2 * PAIRS, (int) registry.counter(TestMetrics.PODS_CREATED, "role", "server").count()
                + (int) registry.counter(TestMetrics.PODS_CREATED, "role", "client").count());
    }

    private double writes() {
        return registry.counter(TestMetrics.STATUS_WRITES).count();
    }
}
