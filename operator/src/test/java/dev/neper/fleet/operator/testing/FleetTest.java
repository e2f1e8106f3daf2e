package dev.neper.fleet.operator.testing;

import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the @QuarkusTest classes: the operator runs against the test server in CRUD mode, and
 * {@link #fleet} is the tests' side of that cluster (nodes, NeperTests, the kubelet).
 */
public abstract class FleetTest {
    @KubernetesTestServer
    protected KubernetesServer server;

    protected Fleet fleet;

    @BeforeEach
    void connectFleet() {
        fleet = Fleet.connect(server);
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }
}
