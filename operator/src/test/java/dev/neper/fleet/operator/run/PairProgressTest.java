package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.operator.observe.PodState;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.testing.RunnerPods;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.runner.contract.ErrorKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One pair's state machine: server first, the client on the test's word, the end, and every way to fail. */
@Tag("unit")
class PairProgressTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final NeperTestSpec SPEC = SpecBuilder.spec().pair("s0", "c0", 1).deadlines("1m", "10m").build();
    private static final Pair PAIR = SPEC.pairs().getFirst();

    @Test
    void aNewPairGetsItsServerAndWaitsUntilTheStartDeadline() {
        PairStep step = step(null, null, null, 0, false);
        assertEquals(PairPhase.Starting, step.phase());
        assertTrue(step.createServer());
        assertEquals(START.plusSeconds(60), step.wakeAt());
    }

    @Test
    void aListeningServerMakesThePairReadyAndTheClientRunsIt() {
        assertEquals(PairPhase.Ready, step(phase(PairPhase.Starting), server(PodState.READY), null, 5, false).phase());
        PairStep running = step(phase(PairPhase.Running), server(PodState.READY), client(PodState.RUNNING), 6, true);
        assertEquals(PairPhase.Running, running.phase());
        assertFalse(running.createServer());
    }

    @Test
    void bothRunnersEndingCleanlyEndThePair() {
        ObservedPod server = RunnerPods.observed(Role.SERVER, 0, PodState.SUCCEEDED, START, 0,
                RunnerReports.server(List.of("eth1"), List.of(90.0), false));
        ObservedPod client = RunnerPods.observed(Role.CLIENT, 0, PodState.SUCCEEDED, START, 0,
                RunnerReports.client(List.of("eth1")));
        assertEquals(PairPhase.Succeeded, step(phase(PairPhase.Running), server, client, 30, true).phase());
    }

    @Test
    void aServerThatExitsBeforeItsClientStartedFailsThePair() {
        ObservedPod server = RunnerPods.observed(Role.SERVER, 0, PodState.SUCCEEDED, START, 0,
                RunnerReports.server(List.of("eth1"), List.of(90.0), false));
        PairStep step = step(phase(PairPhase.Ready), server, null, 5, false);
        assertFailed(step, Reason.RunnerFailed, "exited before its client started");
    }

    @Test
    void aFailedRunnerThatReportedWaitsForItsPeerSoAGoodLinkKeepsItsVerdict() {
        ObservedPod client = RunnerPods.observed(Role.CLIENT, 0, PodState.FAILED, START, 1, RunnerReports.withLinkError(
                RunnerReports.client(List.of("eth1")), "eth1", ErrorKind.PEER_LOST, "server went away"));
        assertEquals(PairPhase.Running, step(phase(PairPhase.Running), server(PodState.READY), client, 10, true).phase());
        ObservedPod serverDone = RunnerPods.observed(Role.SERVER, 0, PodState.FAILED, START, 1,
                RunnerReports.withLinkError(RunnerReports.server(List.of("eth1"), List.of(1.0), false), "eth1",
                        ErrorKind.NO_DATA, "no samples"));
        assertFailed(step(phase(PairPhase.Running), serverDone, client, 12, true), Reason.RunnerFailed,
                "exited with code 1");
    }

    @Test
    void aRunnerThatFailedOnEveryLinkEndsThePairOnceItsPeerHadTimeToReport() {
        ObservedPod server = RunnerPods.finishedAt(RunnerPods.observed(Role.SERVER, 0, PodState.FAILED, START, 1,
                RunnerReports.withLinkError(RunnerReports.server(List.of("eth1"), List.of(1.0), false), "eth1",
                        ErrorKind.LINK_DOWN, "eth1 is down (operstate), after the link carried 4.50 GB")),
                START.plusSeconds(30));
        ObservedPod client = client(PodState.RUNNING);
        PairStep waiting = step(phase(PairPhase.Running), server, client, 40, true);
        assertEquals(PairPhase.Running, waiting.phase(), "the client may still say more");
        assertEquals(START.plusSeconds(30).plus(PairProgress.PEER_REPORT_GRACE), waiting.wakeAt());
        assertFailed(step(phase(PairPhase.Running), server, client, 50, true), Reason.RunnerFailed,
                "eth1: LINK_DOWN: eth1 is down (operstate), after the link carried 4.50 GB");

        ObservedPod partly = RunnerPods.finishedAt(RunnerPods.observed(Role.SERVER, 0, PodState.FAILED, START, 1,
                RunnerReports.withLinkError(RunnerReports.server(List.of("eth1", "eth2"), List.of(1.0, 1.0), false),
                        "eth2", ErrorKind.LINK_DOWN, "eth2 is down")), START.plusSeconds(30));
        NeperTestSpec twoLinks = SpecBuilder.spec().pair("s0", "c0", 2).deadlines("1m", "10m").build();
        PairInputs in = new PairInputs(0, twoLinks.pairs().getFirst(), phase(PairPhase.Running), partly, client, true, true);
        assertEquals(PairPhase.Running, PairProgress.step(in, clock(120), true).phase(),
                "a link that worked waits for the client's word on it");
    }

    @Test
    void aRunnerKilledByASignalIsSaidToBeSoNotByItsLastLogLine() {
        String log = "I1201 17:00:01.000 control: CLI_HELLO from /198.18.1.2:40000";
        ObservedPod killed = killed(137, null, log);
        PairStep step = step(phase(PairPhase.Running), server(PodState.READY), killed, 10, true);
        assertFailed(step, Reason.RunnerFailed, "client pod t-client-0 on node c0 was killed by signal 9 (SIGKILL, exit code 137)");
        assertFalse(step.message().contains("CLI_HELLO"), step.message());
        assertTrue(step.message().contains("kubectl logs t-client-0"), step.message());

        assertFailed(step(phase(PairPhase.Running), server(PodState.READY), killed(143, 15, log), 10, true),
                Reason.RunnerFailed, "was killed by signal 15 (SIGTERM, exit code 143)");
        ObservedPod lostItsClient = RunnerPods.observed(Role.SERVER, 0, PodState.FAILED, START, 1,
                RunnerReports.withLinkError(RunnerReports.server(List.of("eth1"), List.of(1.0), false), "eth1",
                        ErrorKind.PEER_LOST, "control connection closed while waiting for CLI_DONE"));
        assertFailed(step(phase(PairPhase.Running), lostItsClient, killed, 11, true), Reason.RunnerFailed,
                "t-client-0 on node c0 was killed by signal 9");

        ObservedPod exited = killed(1, null, "Error: could not find or load main class");
        assertFailed(step(phase(PairPhase.Running), server(PodState.READY), exited, 10, true), Reason.RunnerFailed,
                "exited with code 1: Error: could not find or load main class");
    }

    private static ObservedPod killed(int exitCode, Integer signal, String terminationMessage) {
        ObservedPod pod = RunnerPods.observed(Role.CLIENT, 0, PodState.FAILED, START, exitCode, null);
        return new ObservedPod(pod.pod(), pod.role(), pod.pairIndex(), pod.generation(), pod.state(), "Error", null,
                pod.created(), false, exitCode, terminationMessage, null, signal, START.plusSeconds(9));
    }

    @Test
    void podsGoneBeforeTheEndFailThePair() {
        assertFailed(step(phase(PairPhase.Starting), null, null, 5, false), Reason.PodDeleted, "server pod");
        assertFailed(step(phase(PairPhase.Running), server(PodState.READY), null, 5, true), Reason.PodDeleted,
                "client pod");
    }

    @Test
    void aMissingNodeIsNotFoundBeforeTheStartAndDeletedAfter() {
        assertFailed(new PairInputs(0, PAIR, null, null, null, true, false), 0, false, Reason.NodeNotFound, "c0");
        assertFailed(new PairInputs(0, PAIR, phase(PairPhase.Running), server(PodState.READY), client(PodState.RUNNING),
                false, true), 5, true, Reason.NodeDeleted, "node s0");
    }

    @Test
    void anImagePullTheKubeletRetriesFailsOnlyAtTheStartDeadlineButAnImpossibleImageAtOnce() {
        ObservedPod backOff = RunnerPods.because(server(PodState.IMAGE_PULL_FAILED), "ImagePullBackOff", "throttled");
        assertEquals(PairPhase.Starting, step(phase(PairPhase.Starting), backOff, null, 30, false).phase());
        assertFailed(step(phase(PairPhase.Starting), backOff, null, 61, false), Reason.ImagePullFailed, "throttled");
        ObservedPod invalid = RunnerPods.because(server(PodState.IMAGE_PULL_FAILED), "InvalidImageName", "Bad:Image");
        assertFailed(step(phase(PairPhase.Starting), invalid, null, 1, false), Reason.ImagePullFailed, "Bad:Image");
    }

    @Test
    void aServerRunningButNeverListeningFailsAtTheStartDeadline() {
        assertEquals(PairPhase.Starting, step(phase(PairPhase.Starting), server(PodState.RUNNING), null, 59, false).phase());
        assertFailed(step(phase(PairPhase.Starting), server(PodState.RUNNING), null, 61, false), Reason.ServerNeverReady,
                "readiness probe never passed");
    }

    @Test
    void evictionAndTheKubeletsActiveDeadlineHaveTheirOwnReasons() {
        ObservedPod evicted = RunnerPods.because(server(PodState.REJECTED), "Evicted", "low on memory");
        assertFailed(step(phase(PairPhase.Running), evicted, client(PodState.RUNNING), 5, true), Reason.PodEvicted,
                "low on memory");
        ObservedPod stopped = RunnerPods.because(server(PodState.REJECTED), "DeadlineExceeded", "active deadline");
        assertFailed(step(phase(PairPhase.Running), stopped, client(PodState.RUNNING), 5, true), Reason.DeadlineExceeded,
                "active deadline");
        ObservedPod refused = RunnerPods.because(server(PodState.REJECTED), "OutOfnvidia.com/gpu", "no GPU");
        assertFailed(step(phase(PairPhase.Starting), refused, null, 1, false), Reason.PodUnschedulable, "no GPU");
    }

    @Test
    void aPairStillGoingAtTheFinishDeadlineFailsNamingItsPods() {
        assertFailed(step(phase(PairPhase.Running), server(PodState.READY), client(PodState.RUNNING), 601, true),
                Reason.DeadlineExceeded, "t-client-0 running");
    }

    @Test
    void anEndedPairStaysAsItEnded() {
        PairStatus failed = new PairStatus("s0", "c0", PairPhase.Failed, Reason.PodDeleted.name(), "gone", List.of());
        PairStep step = step(failed, null, null, 700, true);
        assertEquals(PairPhase.Failed, step.phase());
        assertEquals(Reason.PodDeleted, step.reason());
        assertEquals("gone", step.message());
    }

    private static PairStep step(PairStatus previous, ObservedPod server, ObservedPod client, long nowSeconds,
                                 boolean clientsStarted) {
        return PairProgress.step(new PairInputs(0, PAIR, previous, server, client, true, true), clock(nowSeconds),
                clientsStarted);
    }

    private static void assertFailed(PairInputs in, long nowSeconds, boolean clientsStarted, Reason reason, String quoted) {
        assertFailed(PairProgress.step(in, clock(nowSeconds), clientsStarted), reason, quoted);
    }

    private static void assertFailed(PairStep step, Reason reason, String quoted) {
        assertEquals(PairPhase.Failed, step.phase(), step.toString());
        assertEquals(reason, step.reason(), step.toString());
        assertTrue(step.message().contains(quoted), "'" + step.message() + "' should quote '" + quoted + "'");
    }

    private static PairStatus phase(PairPhase phase) {
        return new PairStatus("s0", "c0", phase, null, null, List.of());
    }

    private static ObservedPod server(PodState state) {
        return RunnerPods.observed(Role.SERVER, 0, state, START);
    }

    private static ObservedPod client(PodState state) {
        return RunnerPods.observed(Role.CLIENT, 0, state, START.plusSeconds(5));
    }

    private static RunClock clock(long nowSeconds) {
        return new RunClock(START.plusSeconds(nowSeconds), START, TestTiming.of(SPEC));
    }
}
