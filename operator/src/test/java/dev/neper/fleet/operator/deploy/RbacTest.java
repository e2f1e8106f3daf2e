package dev.neper.fleet.operator.deploy;

import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.testing.DeployedRbac;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetKubelet;
import dev.neper.fleet.operator.testing.FleetNetwork;
import dev.neper.fleet.operator.testing.FleetSpecBuilder;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import dev.neper.fleet.runner.contract.ErrorKind;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/rbac.yaml grants exactly what the operator uses: the test runs tests through every path
 * (start, waiting, failure and pod stops, a missing node, success, deletion) with leader election on,
 * records every request the operator made to the API server, and checks each is granted (rules naming
 * objects included), each grant is used, and no rule has a wildcard.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class RbacTest extends FleetTest {
    /**
     * Grants the scenario cannot show: the finalizers grant is checked by the API server's admission
     * (blockOwnerDeletion), never called; JOSDK re-reads a NeperTest with a GET only when its finalizer
     * patch meets a conflict (ResourceOperations.conflictRetryingPatchPrimary).
     */
    private static final Set<String> GRANTED_WITHOUT_CALLS =
            Set.of("update neper.dev/nepertests/finalizers", "get neper.dev/nepertests",
                    "update neper.dev/neperfleettests/finalizers", "get neper.dev/neperfleettests",
                    // JOSDK's leader election checks that update is granted on its Lease (by a
                    // SelfSubjectRulesReview), but renews it with a patch
                    "update coordination.k8s.io/leases [neper-fleet-operator]");
    /**
     * Calls every authenticated user may make, by the API server's default ClusterRole system:basic-user:
     * JOSDK's leader election asks which verbs the operator has on Leases before it elects.
     */
    private static final Set<String> GRANTED_BY_DEFAULT =
            Set.of("create authorization.k8s.io/selfsubjectrulesreviews (cluster)");

    @Test
    void everyCallTheOperatorMakesIsGrantedAndEveryGrantIsUsed() throws Exception {
        exercise(fleet);
        // the leader renews its Lease every retry period (2 s): wait for one renewal to be among the calls
        Awaitility.await().atMost(Fleet.TIMEOUT).until(() -> {
            Lease lease = fleet.client().leases().inNamespace(fleet.namespace()).withName("neper-fleet-operator").get();
            return lease != null && lease.getSpec().getRenewTime().isAfter(lease.getSpec().getAcquireTime());
        });
        Set<ApiCall> calls = new TreeSet<>(java.util.Comparator.comparing(ApiCall::toString));
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if (Fleet.USER_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            ApiCall.parse(request.getMethod(), request.getPath())
                    // Quarkus applies the CRD to the test server in test mode only, never in production
                    .filter(call -> !call.group().equals("apiextensions.k8s.io"))
                    .ifPresent(calls::add);
        }

        List<Grant> grants = grants();
        for (Grant grant : grants) {
            assertFalse(grant.verb().contains("*") || grant.group().contains("*") || grant.resource().contains("*")
                    || grant.resourceNames().stream().anyMatch(n -> n.contains("*")), "wildcard in " + grant);
        }
        List<String> ungranted = calls.stream()
                .filter(call -> grants.stream().noneMatch(g -> g.allows(call)))
                .map(ApiCall::toString).filter(call -> !GRANTED_BY_DEFAULT.contains(call)).toList();
        assertEquals(List.of(), ungranted, "calls deploy/rbac.yaml does not grant");
        List<String> unused = grants.stream()
                .filter(g -> calls.stream().noneMatch(g::allows))
                .map(Grant::toString)
                .filter(g -> !GRANTED_WITHOUT_CALLS.contains(g)).toList();
        assertEquals(List.of(), unused, "grants the operator never used");
        assertTrue(calls.size() >= 8, calls.toString());
    }

    private static void exercise(Fleet fleet) throws Exception {
        exerciseTests(fleet);
        exerciseFleetRun(fleet);
    }

    /**
     * A fleet run through discovery, its waves and its verdicts, marking its nodes (labels and a taint on
     * the node, the condition in its status), then deleted with what it made, its marks cleared.
     */
    private static void exerciseFleetRun(Fleet fleet) throws Exception {
        FleetNetwork network = new FleetNetwork("rbacfleet", 6, 2).bad(2);
        fleet.readyNodes(Map.of("neper.dev/test-fleet", "rbacfleet"), network.nodeNames());
        String bad = network.node(2);
        try (FleetKubelet kubelet = new FleetKubelet(fleet.client(), fleet.namespace(), "rbacfleet", network).start()) {
            fleet.createFleet(FleetSpecBuilder.fleetSpec().selector(Map.of("neper.dev/test-fleet", "rbacfleet"))
                    .marking(new FleetMarking(false, true, null, 50, 3)).named("rbacfleet"));
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                NeperFleetTest run = fleet.fleetTest("rbacfleet");
                return run.getStatus() != null && run.getStatus().phase() == FleetPhase.Completed;
            });
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                var node = fleet.client().nodes().withName(bad).get();
                return "faulty".equals(node.getMetadata().getLabels().get("neper.dev/network-health"))
                        && node.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("NeperNetworkHealthy"))
                        && node.getSpec().getTaints() != null && !node.getSpec().getTaints().isEmpty();
            });
        }
        fleet.deleteFleet("rbacfleet");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> fleet.fleetTest("rbacfleet") == null
                && fleet.children("rbacfleet").isEmpty());
        var cleared = fleet.client().nodes().withName(bad).get();
        assertFalse(cleared.getMetadata().getLabels().containsKey("neper.dev/network-health"), "marks cleared: " + cleared);
    }

    private static void exerciseTests(Fleet fleet) {
        fleet.nodes("rbac-a", "rbac-b", "rbac-c", "rbac-d");
        fleet.create(SpecBuilder.spec().pair("rbac-a", "rbac-b", 2).pair("rbac-c", "rbac-d", 2).named("rbac"));
        fleet.create(SpecBuilder.spec().pair("rbac-a", "rbac-missing", 1).named("rbac-waits"));
        fleet.readyServers("rbac", 2);
        fleet.kubelet().failed("rbac-client-1", RunnerReports.withLinkError(RunnerReports.client(List.of("eth1", "eth2")),
                "eth1", ErrorKind.PEER_LOST, "server went away"));
        fleet.kubelet().failed("rbac-server-1", RunnerReports.withLinkError(
                RunnerReports.server(List.of("eth1", "eth2"), List.of(100.0, 100.0), false), "eth1",
                ErrorKind.TERMINATED, "stopped by SIGTERM before the run finished"));
        fleet.kubelet().succeeded("rbac-client-0", RunnerReports.client(List.of("eth1", "eth2")));
        fleet.kubelet().succeeded("rbac-server-0", RunnerReports.server(List.of("eth1", "eth2"), List.of(100.0, 100.0), false));
        fleet.awaitPhase("rbac", TestPhase.Failed);
        NeperTest waited = fleet.awaitPhase("rbac-waits", TestPhase.Failed); // its node does not exist
        assertEquals("NodeNotFound", waited.getStatus().reason());
        fleet.delete("rbac");
        fleet.delete("rbac-waits");
        Awaitility.await().atMost(Fleet.TIMEOUT).until(() -> fleet.get("rbac") == null && fleet.get("rbac-waits") == null);
    }

    private static List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        for (DeployedRbac.Rule rule : DeployedRbac.rules()) {
            PolicyRule policy = rule.rule();
            for (String group : policy.getApiGroups()) {
                for (String resource : policy.getResources()) {
                    for (String verb : policy.getVerbs()) {
                        grants.add(new Grant(verb, group, resource, List.copyOf(policy.getResourceNames()),
                                rule.namespaced()));
                    }
                }
            }
        }
        return grants;
    }

    /**
     * One verb on one resource, from a Role (the operator's namespace) or a ClusterRole (anywhere),
     * for any object or only those named.
     */
    private record Grant(String verb, String group, String resource, List<String> resourceNames, boolean namespaced) {
        boolean allows(ApiCall call) {
            return verb.equals(call.verb()) && group.equals(call.group()) && resource.equals(call.resource())
                    && (resourceNames.isEmpty() || resourceNames.contains(call.name()))
                    && (!namespaced || call.namespaced());
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                    + (resourceNames.isEmpty() ? "" : " " + resourceNames);
        }
    }
}
