package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.operator.observe.PodState;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.testing.SpecBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The run's decisions as pure functions of what was observed: the client gate and the deadlines. */
@Tag("unit")
class RunPlannerTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final NeperTestSpec SPEC = SpecBuilder.spec().pair("s0", "c0", 1).pair("s1", "c1", 1)
            .pair("s2", "c2", 1).deadlines("1m", "10m").build();

    @Test
    void clientsWaitUntilEveryLivePairHasAReadyServer() {
        RunPlan plan = plan(false, 10, ready(0), running(1), ready(2));
        assertEquals(List.of(), plan.createClients());
        assertEquals(TestPhase.Starting, plan.phase());
        assertEquals(List.of(PairPhase.Ready, PairPhase.Starting, PairPhase.Ready), phases(plan));
    }

    @Test
    void aPairThatFailedDoesNotHoldTheOthersBack() {
        ObservedPod deaf = running(1);
        RunPlan plan = plan(false, 61, ready(0), deaf, ready(2)); // past the 1m start deadline
        assertEquals(List.of(0, 2), plan.createClients());
        assertEquals(Reason.ServerNeverReady.name(), plan.pairs().get(1).reason());
        assertEquals(TestPhase.Running, plan.phase());
    }

    @Test
    void aClientWhoseCreationWasMissedIsCreatedOnTheNextPass() {
        List<PairInputs> inputs = inputs(ready(0), ready(1), ready(2));
        inputs.set(0, withClient(inputs.get(0), pod(Role.CLIENT, 0, PodState.RUNNING, 5)));
        inputs.set(2, withClient(inputs.get(2), pod(Role.CLIENT, 2, PodState.RUNNING, 5)));
        RunPlan plan = RunPlanner.plan(SPEC, inputs, clock(10), true);
        assertEquals(List.of(1), plan.createClients());
    }

    @Test
    void pairsStillRunningAtTheFinishDeadlineFail() {
        List<PairInputs> inputs = inputs(ready(0), ready(1), ready(2));
        for (int i = 0; i < 3; i++) {
            inputs.set(i, withClient(inputs.get(i), pod(Role.CLIENT, i, PodState.RUNNING, 5)));
        }
        RunPlan plan = RunPlanner.plan(SPEC, inputs, clock(601), true);
        assertEquals(TestPhase.Failed, plan.phase());
        assertEquals(Reason.DeadlineExceeded, plan.reason());
        assertEquals(List.of(PairPhase.Failed, PairPhase.Failed, PairPhase.Failed), phases(plan));
    }

    @Test
    void endedPairsKeepTheirResultsWhenTheirPodsAreGone() {
        PairStatus ended = new PairStatus("s0", "c0", PairPhase.Failed, Reason.RunnerFailed.name(), "boom",
                List.of(new dev.neper.fleet.operator.api.LinkResult("eth1", null,
                        dev.neper.fleet.operator.api.LinkVerdict.Failed, null, null, null, "boom")));
        List<PairInputs> inputs = inputs(null, ready(1), ready(2));
        inputs.set(0, new PairInputs(0, SPEC.pairs().getFirst(), ended, null, null, true, true));
        RunPlan plan = RunPlanner.plan(SPEC, inputs, clock(10), false);
        assertEquals(ended, plan.pairs().getFirst());
        assertEquals(List.of(1, 2), plan.createClients());
    }

    private static RunPlan plan(boolean clientsStarted, long nowSeconds, ObservedPod... servers) {
        return RunPlanner.plan(SPEC, inputs(servers), clock(nowSeconds), clientsStarted);
    }

    private static List<PairInputs> inputs(ObservedPod... servers) {
        List<PairInputs> inputs = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            Pair pair = SPEC.pairs().get(i);
            PairStatus previous = new PairStatus(pair.server().node(), pair.client().node(), PairPhase.Starting, null,
                    null, List.of());
            inputs.add(new PairInputs(i, pair, previous, servers[i], null, true, true));
        }
        return inputs;
    }

    private static PairInputs withClient(PairInputs in, ObservedPod client) {
        PairStatus running = new PairStatus(in.pair().server().node(), in.pair().client().node(), PairPhase.Running,
                null, null, List.of());
        return new PairInputs(in.index(), in.pair(), running, in.server(), client, true, true);
    }

    private static ObservedPod ready(int pair) {
        return pod(Role.SERVER, pair, PodState.READY, 0);
    }

    private static ObservedPod running(int pair) {
        return pod(Role.SERVER, pair, PodState.RUNNING, 0);
    }

    private static ObservedPod pod(Role role, int pair, PodState state, long createdSeconds) {
        Pod pod = new PodBuilder().withNewMetadata().withName("t-" + role.label() + "-" + pair).endMetadata()
                .withNewSpec().withNodeName((role == Role.SERVER ? "s" : "c") + pair).endSpec().build();
        return new ObservedPod(pod, role, pair, 1, state, null, null, START.plusSeconds(createdSeconds), false,
                null, null, null, null, null);
    }

    private static RunClock clock(long nowSeconds) {
        return new RunClock(START.plus(Duration.ofSeconds(nowSeconds)), START, TestTiming.of(SPEC));
    }

    private static List<PairPhase> phases(RunPlan plan) {
        return plan.pairs().stream().map(PairStatus::phase).toList();
    }
}
