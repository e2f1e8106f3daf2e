package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.SpecBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deleting a NeperTest mid-run stops and removes its pods, then the NeperTest goes. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DeletionTest {
    @KubernetesTestServer
    KubernetesServer server;

    private Fleet fleet;

    @BeforeEach
    void connect() {
        fleet = Fleet.connect(server);
    }

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void deletingARunningTestRemovesEveryPodAndThenTheTest() {
        fleet.nodes("del-a", "del-b", "del-c", "del-d");
        fleet.create(SpecBuilder.spec().pair("del-a", "del-b", 2).pair("del-c", "del-d", 2).named("del"));
        fleet.awaitPod("del-server-0");
        fleet.awaitPod("del-server-1");
        fleet.kubelet().ready("del-server-0");
        fleet.kubelet().ready("del-server-1");
        fleet.awaitPod("del-client-0");
        fleet.awaitPod("del-client-1");
        fleet.kubelet().running("del-client-0");
        assertEquals(4, fleet.pods("del").size());
        assertEquals(1, fleet.get("del").getMetadata().getFinalizers().size(), "the operator holds a finalizer");

        fleet.delete("del");
        Awaitility.await().atMost(Fleet.TIMEOUT).until(() -> fleet.pods("del").isEmpty() && fleet.get("del") == null);
    }
}
