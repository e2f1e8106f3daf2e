package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two NeperTests that touch the same node never run at once; the later one says which test it waits for. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class OverlapTest extends FleetTest {
    @Test
    void secondTestOnASharedNodeWaitsNamingTheFirstAndStartsWhenItEnds() throws Exception {
        fleet.nodes("ov-a", "ov-b", "ov-c", "ov-d", "ov-e");
        fleet.create(SpecBuilder.spec().pair("ov-a", "ov-b", 1).named("ov-first"));
        fleet.awaitPod("ov-first-server-0");
        Thread.sleep(10); // creation order decides who goes first among waiters
        fleet.create(SpecBuilder.spec().pair("ov-c", "ov-b", 1).named("ov-second"));
        fleet.create(SpecBuilder.spec().pair("ov-d", "ov-e", 1).named("ov-elsewhere"));

        NeperTest waiting = fleet.await("ov-second", t -> t.getStatus() != null
                && Conditions.isTrue(t.getStatus().conditions(), TestConditions.WAITING_FOR_NODES));
        assertEquals(TestPhase.Pending, waiting.getStatus().phase());
        assertEquals(fleet.namespace() + "/ov-first", waiting.getStatus().waitingFor());
        String message = Conditions.find(waiting.getStatus().conditions(), TestConditions.WAITING_FOR_NODES).getMessage();
        assertTrue(message.contains("ov-first") && message.contains("ov-b"), message);
        fleet.awaitPod("ov-elsewhere-server-0"); // a test on other nodes is not held up
        assertTrue(fleet.pods("ov-second").isEmpty(), "the waiting test scheduled nothing");
        fleet.await("ov-second", t -> fleet.events("ov-second").stream()
                .anyMatch(e -> "WaitingForNodes".equals(e.getReason()) && e.getMessage().contains("ov-first")));

        fleet.kubelet().ready("ov-first-server-0");
        fleet.awaitPod("ov-first-client-0");
        assertTrue(fleet.pods("ov-second").isEmpty(), "still waiting while the first runs");
        fleet.kubelet().succeeded("ov-first-client-0", RunnerReports.client(List.of("eth1")));
        fleet.kubelet().succeeded("ov-first-server-0", RunnerReports.server(List.of("eth1"), List.of(150.0), false));
        fleet.awaitPhase("ov-first", TestPhase.Succeeded);

        fleet.awaitPod("ov-second-server-0");
        NeperTest started = fleet.awaitPhase("ov-second", TestPhase.Starting);
        assertTrue(!Conditions.isTrue(started.getStatus().conditions(), TestConditions.WAITING_FOR_NODES));
        assertEquals(null, started.getStatus().waitingFor());
    }

    @Test
    void deletingTheTestAnotherWaitsForLetsTheOtherStart() {
        fleet.nodes("ovd-a", "ovd-b", "ovd-c");
        fleet.create(SpecBuilder.spec().pair("ovd-a", "ovd-b", 1).named("ovd-first"));
        fleet.awaitPod("ovd-first-server-0");
        fleet.create(SpecBuilder.spec().pair("ovd-b", "ovd-c", 1).named("ovd-second"));
        fleet.await("ovd-second", t -> t.getStatus() != null && t.getStatus().waitingFor() != null);

        fleet.delete("ovd-first");
        fleet.awaitPod("ovd-second-server-0");
        assertTrue(fleet.pods("ovd-first").isEmpty());
    }
}
