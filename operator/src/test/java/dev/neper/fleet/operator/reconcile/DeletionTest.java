package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deleting a NeperTest mid-run stops and removes its pods, then the NeperTest goes. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class DeletionTest extends FleetTest {
    @Test
    void deletingARunningTestRemovesEveryPodAndThenTheTest() {
        fleet.nodes("del-a", "del-b", "del-c", "del-d");
        fleet.create(SpecBuilder.spec().pair("del-a", "del-b", 2).pair("del-c", "del-d", 2).named("del"));
        fleet.readyServers("del", 2);
        fleet.kubelet().running("del-client-0");
        assertEquals(4, fleet.pods("del").size());
        assertEquals(1, fleet.get("del").getMetadata().getFinalizers().size(), "the operator holds a finalizer");

        fleet.delete("del");
        Awaitility.await().atMost(Fleet.TIMEOUT).until(() -> fleet.pods("del").isEmpty() && fleet.get("del") == null);
    }
}
