package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.record.ReconcileFailures;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An API server that refuses the operator's writes for a while: the reconcile is retried with backoff
 * until the writes go through, the test then runs as if nothing happened, and its status says what
 * failed (the ReconcileError condition), also when the status itself could not be written meanwhile.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class ApiFailureTest extends FleetTest {
    private static final int REFUSALS = 3;

    @Test
    void writesRefusedForAWhileAreRetriedAndTheStatusNamesTheCauseOnceItCanBeWritten() {
        fleet.nodes("down-a", "down-b");
        // not a 5xx or 429: the Kubernetes client retries those itself, within the call
        String webhook = "admission webhook \"freeze.example.com\" denied the request: writes are frozen";
        refuse("POST", podsPath(), 400, webhook);
        refuse("PATCH", "/apis/neper.dev/v1alpha1/namespaces/" + fleet.namespace() + "/nepertests/down/status", 400,
                webhook);
        fleet.create(SpecBuilder.spec().pair("down-a", "down-b", 1).named("down"));

        // every pod creation and every status write failed REFUSALS times; then both go through
        fleet.awaitPod("down-server-0");
        NeperTest starting = fleet.awaitPhase("down", TestPhase.Starting);
        Condition error = Conditions.find(starting.getStatus().conditions(), ReconcileFailures.CONDITION);
        assertTrue(error != null, starting.getStatus().conditions().toString());
        assertEquals("False", error.getStatus(), error.toString());
        assertEquals(Reason.Recovered.name(), error.getReason());
        assertTrue(error.getMessage().contains(REFUSALS + " failed attempts") && error.getMessage().contains("HTTP 400")
                && error.getMessage().contains(webhook) && error.getMessage().contains("POST"), error.getMessage());

        fleet.readyServers("down", 1);
        fleet.kubelet().succeeded("down-client-0", RunnerReports.client(List.of("eth1")));
        fleet.kubelet().succeeded("down-server-0", RunnerReports.server(List.of("eth1"), List.of(90.0), false));
        NeperTest done = fleet.awaitPhase("down", TestPhase.Succeeded);
        assertEquals("1/1", done.getStatus().summary().links());
        assertEquals(error.getMessage(), Conditions.find(done.getStatus().conditions(), ReconcileFailures.CONDITION)
                .getMessage(), "the cause stays on record");
    }

    @Test
    void whileOnlyPodsAreRefusedTheStatusSaysWhyAtOnce() {
        fleet.nodes("quota-a", "quota-b");
        String quota = "pods \"quota-server-0\" is forbidden: exceeded quota: runners, requested: pods=1, limit: pods=0";
        refuse("POST", podsPath(), 403, quota);
        fleet.create(SpecBuilder.spec().pair("quota-a", "quota-b", 1).named("quota"));

        NeperTest failing = fleet.await("quota", t -> t.getStatus() != null
                && Conditions.isTrue(t.getStatus().conditions(), ReconcileFailures.CONDITION));
        Condition error = Conditions.find(failing.getStatus().conditions(), ReconcileFailures.CONDITION);
        assertEquals(Reason.ReconcileFailed.name(), error.getReason());
        assertTrue(error.getMessage().contains("HTTP 403") && error.getMessage().contains("exceeded quota"),
                error.getMessage());
        assertEquals(failing.getMetadata().getGeneration(), error.getObservedGeneration());

        fleet.awaitPod("quota-server-0");
        NeperTest recovered = fleet.await("quota", t -> t.getStatus().phase() == TestPhase.Starting
                && !Conditions.isTrue(t.getStatus().conditions(), ReconcileFailures.CONDITION));
        Condition settled = Conditions.find(recovered.getStatus().conditions(), ReconcileFailures.CONDITION);
        assertEquals(Reason.Recovered.name(), settled.getReason());
        assertTrue(settled.getMessage().contains("exceeded quota"), settled.getMessage());
        assertTrue(!Conditions.isTrue(recovered.getStatus().conditions(), TestConditions.COMPLETE));
    }

    private String podsPath() {
        return "/api/v1/namespaces/" + fleet.namespace() + "/pods";
    }

    /** The next {@link #REFUSALS} requests of this method to this path get this answer; later ones reach the store. */
    private void refuse(String method, String path, int code, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(code).withMessage(message).build();
        var expectation = switch (method) {
            case "POST" -> server.expect().post();
            case "PATCH" -> server.expect().patch();
            default -> throw new IllegalArgumentException(method);
        };
        expectation.withPath(path).andReturn(code, status).times(REFUSALS);
    }
}
