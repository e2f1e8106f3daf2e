package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.ValidationResult;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.pods.RunnerCommand;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.ParsedCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class HappyPathTest extends FleetTest {
    private static final List<String> DEVICES = List.of("eth1", "eth2", "eth3", "eth4");


    @TestHTTPResource("/q/metrics")
    URL metrics;


    @Test
    void onePairOfFourLinksRunsServersFirstAndReportsEveryLink() throws Exception {
        fleet.nodes("happy-a", "happy-b");
        fleet.create(SpecBuilder.spec().pair("happy-a", "happy-b", 4).duration("30s").flows(2, 2).minLinkGbps(180).named("happy"));

        Pod serverPod = fleet.awaitPod("happy-server-0");
        NeperTest starting = fleet.awaitPhase("happy", TestPhase.Starting);
        assertEquals("happy-a", serverPod.getSpec().getNodeName());
        assertTrue(serverPod.getSpec().getHostNetwork());
        assertEquals("Never", serverPod.getSpec().getRestartPolicy());
        assertEquals(starting.getMetadata().getUid(), serverPod.getMetadata().getOwnerReferences().getFirst().getUid());
        assertEquals("server", serverPod.getMetadata().getLabels().get(Labels.ROLE));
        Container runner = serverPod.getSpec().getContainers().getFirst();
        assertEquals(List.of(RunnerCommand.PROGRAM), runner.getCommand());
        assertEquals("127.0.0.1", runner.getReadinessProbe().getTcpSocket().getHost(),
                "the probe targets the runner's readiness port on loopback, open once every link is up or failed");
        assertEquals(12866 + 3, runner.getReadinessProbe().getTcpSocket().getPort().getIntVal(),
                "the readiness port is the last link's control port number");
        assertEquals("--link=eth1,198.18.1.1,198.18.1.2", runner.getArgs().get(1));
        // the runner's own parser accepts what the operator built (the options after the link flags)
        List<String> options = runner.getArgs().stream().filter(a -> !a.startsWith("--link=")
                && !a.startsWith("--termination-summary=") && !a.equals("links")).toList();
        assertTrue(OptionParser.parse(options) instanceof ParsedCommand.Run);
        assertTrue(runner.getArgs().contains("--num-flows=2"), runner.getArgs().toString());
        assertTrue(runner.getArgs().contains("--test-length=30"));
        assertNull(fleet.kubelet().pod("happy-client-0"), "no client before its server is ready");

        fleet.kubelet().running("happy-server-0");
        fleet.kubelet().ready("happy-server-0");
        Pod clientPod = fleet.awaitPod("happy-client-0");
        assertEquals("happy-b", clientPod.getSpec().getNodeName());
        assertTrue(clientPod.getSpec().getContainers().getFirst().getArgs().contains("--client"));
        assertEquals("--link=eth1,198.18.1.2,198.18.1.1", clientPod.getSpec().getContainers().getFirst().getArgs().get(1));
        fleet.awaitPhase("happy", TestPhase.Running);

        fleet.kubelet().running("happy-client-0");
        fleet.kubelet().succeeded("happy-client-0", RunnerReports.client(DEVICES));
        fleet.kubelet().succeeded("happy-server-0",
                RunnerReports.server(DEVICES, List.of(193.55, 193.65, 193.64, 193.67), false));

        NeperTest done = fleet.awaitPhase("happy", TestPhase.Succeeded);
        NeperTestStatus status = done.getStatus();
        assertEquals("4/4", status.summary().links());
        assertEquals(193.55, status.summary().minGbps());
        assertEquals(193.645, status.summary().medianGbps(), 0.006);
        assertEquals(PairPhase.Succeeded, status.pairs().getFirst().phase());
        List<LinkResult> links = status.pairs().getFirst().links();
        assertEquals(DEVICES, links.stream().map(LinkResult::device).toList());
        assertTrue(links.stream().allMatch(l -> l.verdict() == LinkVerdict.Passed && l.validation() == ValidationResult.Off));
        assertTrue(Conditions.isTrue(status.conditions(), TestConditions.COMPLETE));
        assertTrue(Conditions.isTrue(status.conditions(), TestConditions.PASSED));
        assertEquals(done.getMetadata().getGeneration(), status.observedGeneration());
        assertTrue(status.conditions().stream().allMatch(c -> c.getObservedGeneration().equals(done.getMetadata().getGeneration())));

        // a passed test's pods are deleted (keep: OnFailure)
        fleet.await("happy", t -> fleet.pods("happy").isEmpty());
        List<String> reasons = fleet.events("happy").stream().map(e -> e.getReason()).toList();
        assertTrue(reasons.containsAll(List.of("Started", "ClientsStarted", "Succeeded")), reasons.toString());

        String scrape = new String(metrics.openStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(scrape.contains("neper_link_throughput_gbps{client=\"happy-b\",device=\"eth1\",namespace=\""
                + fleet.namespace() + "\",pair=\"0\",server=\"happy-a\",test=\"happy\"} 193.55"), scrape);
        assertEquals(4, scrape.lines().filter(l -> l.startsWith("neper_link_throughput_gbps{") && l.contains("test=\"happy\"")).count());
        assertTrue(scrape.contains("neper_tests_completed_total{outcome=\"Succeeded\",reason=\"Succeeded\"}"), scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("neper_reconcile_seconds_count")), scrape);
    }
}
