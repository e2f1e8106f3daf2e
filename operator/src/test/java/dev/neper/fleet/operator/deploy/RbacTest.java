package dev.neper.fleet.operator.deploy;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.Generated;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.runner.contract.ErrorKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/rbac.yaml grants exactly what the operator uses: the test runs tests through every path
 * (start, waiting, failure and pod stops, a missing node, success, deletion), records every request
 * the operator made to the API server, and checks each is granted, each grant is used, and no rule
 * has a wildcard.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RbacTest extends FleetTest {
    /**
     * Grants the scenario cannot show: the finalizers grant is checked by the API server's admission
     * (blockOwnerDeletion), never called; JOSDK re-reads a NeperTest with a GET only when its finalizer
     * patch meets a conflict (ResourceOperations.conflictRetryingPatchPrimary).
     */
    private static final Set<String> GRANTED_WITHOUT_CALLS =
            Set.of("update neper.dev/nepertests/finalizers", "get neper.dev/nepertests");

    @Test
    void everyCallTheOperatorMakesIsGrantedAndEveryGrantIsUsed() throws Exception {
        exercise(fleet);
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
            assertFalse(grant.verb().contains("*") || grant.group().contains("*") || grant.resource().contains("*"),
                    "wildcard in " + grant);
        }
        List<String> ungranted = calls.stream()
                .filter(call -> grants.stream().noneMatch(g -> g.allows(call)))
                .map(ApiCall::toString).toList();
        assertEquals(List.of(), ungranted, "calls deploy/rbac.yaml does not grant");
        List<String> unused = grants.stream()
                .filter(g -> calls.stream().noneMatch(g::allows))
                .map(Grant::toString)
                .filter(g -> !GRANTED_WITHOUT_CALLS.contains(g)).toList();
        assertEquals(List.of(), unused, "grants the operator never used");
        assertTrue(calls.size() >= 8, calls.toString());
    }

    private static void exercise(Fleet fleet) {
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

    private static List<Grant> grants() throws Exception {
        List<Grant> grants = new ArrayList<>();
        for (String document : Files.readString(Generated.REPO.resolve("deploy/rbac.yaml")).split("(?m)^---$")) {
            HasMetadata object = Serialization.unmarshal(document);
            List<PolicyRule> rules = object instanceof Role role ? role.getRules()
                    : object instanceof ClusterRole clusterRole ? clusterRole.getRules() : List.of();
            boolean namespaced = object instanceof Role;
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            grants.add(new Grant(verb, group, resource, namespaced));
                        }
                    }
                }
            }
        }
        return grants;
    }

    /** One verb on one resource, from a Role (the operator's namespace) or a ClusterRole (anywhere). */
    private record Grant(String verb, String group, String resource, boolean namespaced) {
        boolean allows(ApiCall call) {
            return verb.equals(call.verb()) && group.equals(call.group()) && resource.equals(call.resource())
                    && (!namespaced || call.namespaced());
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }
    }
}
