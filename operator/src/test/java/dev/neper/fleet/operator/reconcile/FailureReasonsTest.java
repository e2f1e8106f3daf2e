package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.NodeSummaries;
import dev.neper.fleet.runner.contract.Role;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a test fails ends it with a precise reason in the status and a Warning Event with that reason. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class FailureReasonsTest extends FleetTest {
    private static final List<String> TWO = List.of("eth1", "eth2");



    @Test
    void podTheSchedulerCannotPlaceFailsItsPairAtTheStartDeadlineQuotingTheScheduler() {
        fleet.nodes("unsched-a", "unsched-b");
        fleet.create(SpecBuilder.spec().pair("unsched-a", "unsched-b", 2).deadlines("2s", null).named("unsched"));
        fleet.awaitPod("unsched-server-0");
        String scheduler = "0/2 nodes are available: 1 Insufficient nvidia.com/gpu, 1 node(s) didn't match Pod's node affinity";
        fleet.kubelet().unschedulable("unsched-server-0", scheduler);

        NeperTest failed = fleet.awaitPhase("unsched", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.PodUnschedulable, scheduler);
        assertWarning("unsched", Reason.PodUnschedulable, scheduler);
        assertTrue(failed.getStatus().pairs().getFirst().links().stream().allMatch(l -> l.verdict() == LinkVerdict.Failed));
    }

    @Test
    void podTheNodeRefusesAtAdmissionFailsAtOnceQuotingTheKubelet() {
        fleet.nodes("refused-a", "refused-b");
        fleet.create(SpecBuilder.spec().mode(Mode.CUDA).pair("refused-a", "refused-b", 2).deadlines("5m", null)
                .named("refused"));
        fleet.awaitPod("refused-server-0");
        String kubelet = "Node didn't have enough resource: nvidia.com/gpu, requested: 2, used: 0, capacity: 0";
        fleet.kubelet().rejected("refused-server-0", "OutOfnvidia.com/gpu", kubelet);

        NeperTest failed = fleet.awaitPhase("refused", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.PodUnschedulable, "OutOfnvidia.com/gpu: " + kubelet);
        assertWarning("refused", Reason.PodUnschedulable, kubelet);
    }

    @Test
    void imageThatCannotExistFailsAtOnceAndOneThatCannotBePulledFailsAtTheDeadline() {
        fleet.nodes("pull-a", "pull-b", "pull-c", "pull-d");
        fleet.create(SpecBuilder.spec().pair("pull-a", "pull-b", 1).pair("pull-c", "pull-d", 1).deadlines("3s", null)
                .named("pull"));
        fleet.awaitPod("pull-server-0");
        fleet.awaitPod("pull-server-1");
        fleet.kubelet().waiting("pull-server-0", "InvalidImageName", "couldn't parse image name \"Bad:Image\"");
        NeperTest first = fleet.await("pull", t -> t.getStatus() != null && t.getStatus().pairs() != null
                && t.getStatus().pairs().getFirst().phase() == PairPhase.Failed);
        assertEquals(PairPhase.Starting, first.getStatus().pairs().get(1).phase(), "the other pair goes on");

        String backOff = "Back-off pulling image \"registry.invalid/neper-runner:0.1\": manifest unknown";
        fleet.kubelet().waiting("pull-server-1", "ImagePullBackOff", backOff);
        NeperTest failed = fleet.awaitPhase("pull", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.ImagePullFailed, "InvalidImageName");
        assertPairFailed(failed, 1, Reason.ImagePullFailed, backOff);
        assertWarning("pull", Reason.ImagePullFailed, backOff);
    }

    @Test
    void runnerExitingNonZeroFailsItsPairQuotingItsErrorLine() {
        fleet.nodes("exit-a", "exit-b");
        fleet.create(SpecBuilder.spec().pair("exit-a", "exit-b", 2).named("exit"));
        fleet.readyServers("exit", 1);
        fleet.kubelet().running("exit-client-0");
        fleet.kubelet().failed("exit-client-0", RunnerReports.withLinkError(RunnerReports.client(TWO), "eth2",
                ErrorKind.CONNECT_FAILED, "connect to 198.18.2.1:12867: Connection refused"));
        // the client reported its links: the pair waits for the server, whose eth2 never got a client
        fleet.kubelet().failed("exit-server-0", RunnerReports.withLinkError(
                RunnerReports.server(TWO, List.of(100.0, 100.0), false), "eth2", ErrorKind.SUICIDE,
                "suicide length of 60 s passed before the run finished"));

        NeperTest failed = fleet.awaitPhase("exit", TestPhase.Failed);
        String quoted = "eth2: SUICIDE: suicide length of 60 s passed before the run finished";
        assertPairFailed(failed, 0, Reason.RunnerFailed, quoted);
        assertWarning("exit", Reason.RunnerFailed, "exited with code 1: " + quoted);
        List<LinkResult> links = failed.getStatus().pairs().getFirst().links();
        assertTrue(links.get(1).error().contains("client eth2: CONNECT_FAILED: connect to 198.18.2.1:12867: Connection"
                + " refused"), links.get(1).error());
        assertEquals(LinkVerdict.Passed, links.get(0).verdict(), "eth1 worked on both sides: " + links.get(0));
        // a failed test keeps its ended pods for their logs
        assertTrue(fleet.kubelet().pod("exit-server-0") != null && fleet.kubelet().pod("exit-client-0") != null);
    }

    @Test
    void runnerRefusingItsCommandLineIsQuotedFromItsSummary() {
        fleet.nodes("refuse-a", "refuse-b");
        fleet.create(SpecBuilder.spec().pair("refuse-a", "refuse-b", 1).named("refuse"));
        fleet.awaitPod("refuse-server-0");
        String refusal = "link eth1: --mode cuda needs the CUDA driver library: libcuda.so.1 not found in CUDA_LIB_DIR";
        fleet.kubelet().failed("refuse-server-0", NodeSummaries.failed(Role.SERVER, refusal));

        NeperTest failed = fleet.awaitPhase("refuse", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.RunnerFailed, refusal);
    }

    @Test
    void runnerDyingBeforeItsSummaryIsQuotedFromItsLastLogLine() {
        fleet.nodes("crash-a", "crash-b");
        fleet.create(SpecBuilder.spec().pair("crash-a", "crash-b", 1).named("crash"));
        fleet.awaitPod("crash-server-0");
        fleet.kubelet().failed("crash-server-0", 1, "Error",
                "Picked up JAVA_TOOL_OPTIONS: -Xmx64m\nneper-runner: UNSUPPORTED: eth1 has no devmem queue\n");

        NeperTest failed = fleet.awaitPhase("crash", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.RunnerFailed, "neper-runner: UNSUPPORTED: eth1 has no devmem queue");
    }

    @Test
    void serverThatNeverListensFailsItsPairWhileTheOtherPairsRun() {
        fleet.nodes("deaf-a", "deaf-b", "deaf-c", "deaf-d");
        fleet.create(SpecBuilder.spec().pair("deaf-a", "deaf-b", 1).pair("deaf-c", "deaf-d", 1).deadlines("2s", null)
                .named("deaf"));
        fleet.awaitPod("deaf-server-0");
        fleet.awaitPod("deaf-server-1");
        fleet.kubelet().running("deaf-server-0");
        fleet.kubelet().ready("deaf-server-1");

        fleet.awaitPod("deaf-client-1");
        NeperTest running = fleet.awaitPhase("deaf", TestPhase.Running);
        assertPairFailed(running, 0, Reason.ServerNeverReady, "readiness probe never passed");
        assertNull(fleet.kubelet().pod("deaf-client-0"), "no client for a pair whose server never listened");
        assertWarning("deaf", Reason.ServerNeverReady, "deaf-server-0");

        fleet.kubelet().succeeded("deaf-client-1", RunnerReports.client(List.of("eth1")));
        fleet.kubelet().succeeded("deaf-server-1", RunnerReports.server(List.of("eth1"), List.of(99.5), false));
        NeperTest failed = fleet.awaitPhase("deaf", TestPhase.Failed);
        assertEquals(Reason.ServerNeverReady.name(), failed.getStatus().reason());
        assertEquals(PairPhase.Succeeded, failed.getStatus().pairs().get(1).phase());
        assertEquals("1/2", failed.getStatus().summary().links());
    }

    @Test
    void podStuckPendingFailsAtTheStartDeadline() {
        fleet.nodes("stuck-a", "stuck-b");
        fleet.create(SpecBuilder.spec().pair("stuck-a", "stuck-b", 1).deadlines("2s", null).named("stuck"));
        fleet.awaitPod("stuck-server-0");
        fleet.kubelet().waiting("stuck-server-0", "ContainerCreating", null);

        NeperTest failed = fleet.awaitPhase("stuck", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.StartDeadlineExceeded, "ContainerCreating");
    }

    @Test
    void runStillGoingAtTheFinishDeadlineFailsAndItsPodsAreStopped() {
        fleet.nodes("slow-a", "slow-b");
        fleet.create(SpecBuilder.spec().pair("slow-a", "slow-b", 1).duration("1s").deadlines("2s", "3s").named("slow"));
        fleet.readyServers("slow", 1);
        fleet.kubelet().running("slow-client-0");

        NeperTest failed = fleet.awaitPhase("slow", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.DeadlineExceeded, "finish deadline");
        assertWarning("slow", Reason.DeadlineExceeded, "slow-client-0");
        fleet.await("slow", t -> fleet.pods("slow").isEmpty());
    }

    @Test
    void nodeDeletedDuringTheRunFailsItsPair() {
        fleet.nodes("gone-a", "gone-b");
        fleet.create(SpecBuilder.spec().pair("gone-a", "gone-b", 1).named("gone"));
        fleet.readyServers("gone", 1);
        fleet.deleteNode("gone-b");

        NeperTest failed = fleet.awaitPhase("gone", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.NodeDeleted, "node gone-b");
        assertWarning("gone", Reason.NodeDeleted, "gone-b");
    }

    @Test
    void nodeThatDoesNotExistFailsItsPairBeforeAnyPod() {
        fleet.nodes("real-a");
        fleet.create(SpecBuilder.spec().pair("real-a", "imaginary-b", 1).named("imaginary"));

        NeperTest failed = fleet.awaitPhase("imaginary", TestPhase.Failed);
        assertPairFailed(failed, 0, Reason.NodeNotFound, "imaginary-b");
        assertTrue(fleet.pods("imaginary").isEmpty());
    }

    @Test
    void linksBelowTheThresholdOrFailingValidationFailTheTestWithPerLinkReasons() {
        fleet.nodes("slowlink-a", "slowlink-b");
        fleet.create(SpecBuilder.spec().mode(Mode.UDMABUF).validate(true).pair("slowlink-a", "slowlink-b", 2)
                .minLinkGbps(180).named("slowlink"));
        fleet.readyServers("slowlink", 1);
        fleet.kubelet().succeeded("slowlink-client-0", RunnerReports.client(TWO));
        fleet.kubelet().succeeded("slowlink-server-0", RunnerReports.server(TWO, List.of(121.3, 190.0), true));

        NeperTest failed = fleet.awaitPhase("slowlink", TestPhase.Failed);
        assertEquals(Reason.LinksFailed.name(), failed.getStatus().reason());
        PairStatus pair = failed.getStatus().pairs().getFirst();
        assertEquals(PairPhase.Succeeded, pair.phase(), "both runners ended cleanly");
        assertEquals(LinkVerdict.Failed, pair.links().get(0).verdict());
        assertTrue(pair.links().get(0).error().contains("121.30 Gbit/s is below the threshold of 180.00"));
        assertEquals(LinkVerdict.Passed, pair.links().get(1).verdict());
        assertEquals("1/2", failed.getStatus().summary().links());
        assertFalse(Conditions.isTrue(failed.getStatus().conditions(), TestConditions.PASSED));
        assertTrue(Conditions.isTrue(failed.getStatus().conditions(), TestConditions.COMPLETE));
        assertWarning("slowlink", Reason.LinksFailed, "eth1");
    }

    @Test
    void specTheSchemaLetsThroughButTheOperatorCannotRunIsInvalidAndSchedulesNothing() {
        fleet.nodes("invalid-a", "invalid-b");
        NeperTest test = SpecBuilder.spec().pair("invalid-a", "invalid-b", 1).named("invalid");
        var badLink = new dev.neper.fleet.operator.api.Link("eth1", "2001:db8::1::2", "2001:db8::3", null, null);
        var link = new dev.neper.fleet.operator.api.Link("eth2", "198.18.9.1", "2001:db8::4", null, null);
        test.setSpec(SpecBuilder.spec().pair(new dev.neper.fleet.operator.api.Pair(
                test.getSpec().pairs().getFirst().server(), test.getSpec().pairs().getFirst().client(),
                List.of(badLink, link))).build());
        fleet.create(test);

        NeperTest failed = fleet.awaitPhase("invalid", TestPhase.Failed);
        assertEquals(Reason.InvalidSpec.name(), failed.getStatus().reason());
        assertTrue(Conditions.isTrue(failed.getStatus().conditions(), TestConditions.INVALID_SPEC));
        assertTrue(failed.getStatus().message().contains("spec.pairs[0].links[0].serverIP: '2001:db8::1::2' is not an"
                + " IPv4 or IPv6 address"), failed.getStatus().message());
        assertTrue(failed.getStatus().message().contains("different address families"), failed.getStatus().message());
        assertTrue(fleet.pods("invalid").isEmpty(), "nothing is scheduled");
        assertWarning("invalid", Reason.InvalidSpec, "2001:db8::1::2");
    }

    private static void assertPairFailed(NeperTest test, int pair, Reason reason, String quoted) {
        PairStatus status = test.getStatus().pairs().get(pair);
        assertEquals(PairPhase.Failed, status.phase(), status.toString());
        assertEquals(reason.name(), status.reason(), status.toString());
        assertTrue(status.message().contains(quoted), "'" + status.message() + "' should quote '" + quoted + "'");
    }

    private void assertWarning(String test, Reason reason, String text) {
        fleet.await(test, t -> fleet.events(test).stream().anyMatch(e -> matches(e, reason, text)));
    }

    private static boolean matches(Event event, Reason reason, String text) {
        return "Warning".equals(event.getType()) && reason.name().equals(event.getReason())
                && event.getMessage().contains(text);
    }
}
