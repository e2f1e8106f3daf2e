package dev.neper.fleet.operator.reconcile;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.testing.Fleet;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented edit-while-running behaviour: waiting or refused, the edit is used; running, the run restarts; ended, nothing runs. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class EditTest extends FleetTest {
    @Test
    void specEditedDuringTheRunRestartsItWithTheNewSpec() {
        fleet.nodes("edit-a", "edit-b");
        fleet.create(SpecBuilder.spec().pair("edit-a", "edit-b", 1).duration("30s").named("edit"));
        Pod first = fleet.awaitPod("edit-server-0");
        assertEquals("1", first.getMetadata().getLabels().get(Labels.GENERATION));
        fleet.kubelet().ready("edit-server-0");
        fleet.awaitPod("edit-client-0");

        editSpec("edit", spec -> SpecBuilder.spec().pair("edit-a", "edit-b", 1).duration("45s").build());

        fleet.await("edit", t -> {
            Pod pod = fleet.kubelet().pod("edit-server-0");
            return pod != null && "2".equals(pod.getMetadata().getLabels().get(Labels.GENERATION));
        });
        Pod restarted = fleet.kubelet().pod("edit-server-0");
        assertTrue(restarted.getSpec().getContainers().getFirst().getArgs().contains("--test-length=45"));
        NeperTest test = fleet.await("edit", t -> t.getStatus() != null && t.getStatus().observedGeneration() == 2
                && t.getStatus().phase() == TestPhase.Starting);
        Condition changed = Conditions.find(test.getStatus().conditions(), TestConditions.SPEC_CHANGED);
        assertEquals(Reason.RunRestarted.name(), changed.getReason());
        assertTrue(changed.getMessage().contains("generation 1 to 2"), changed.getMessage());
        assertTrue(fleet.kubelet().pod("edit-client-0") == null, "the old run's client is gone");
        fleet.await("edit", t -> fleet.events("edit").stream().anyMatch(e -> Reason.RunRestarted.name().equals(e.getReason())));
    }

    @Test
    void specEditedAfterTheEndRunsNothingAndSaysSo() {
        fleet.nodes("after-a", "after-b");
        fleet.create(SpecBuilder.spec().pair("after-a", "after-b", 1).named("after"));
        fleet.readyServers("after", 1);
        fleet.kubelet().succeeded("after-client-0", RunnerReports.client(List.of("eth1")));
        fleet.kubelet().succeeded("after-server-0", RunnerReports.server(List.of("eth1"), List.of(42.0), false));
        fleet.awaitPhase("after", TestPhase.Succeeded);

        editSpec("after", spec -> SpecBuilder.spec().pair("after-a", "after-b", 1).duration("20s").build());
        NeperTest test = fleet.await("after", t -> Conditions.isTrue(t.getStatus().conditions(), TestConditions.SPEC_CHANGED));
        assertEquals(TestPhase.Succeeded, test.getStatus().phase());
        assertEquals(1L, test.getStatus().observedGeneration(), "the results are the first generation's");
        assertEquals(Reason.SpecChangeIgnored.name(),
                Conditions.find(test.getStatus().conditions(), TestConditions.SPEC_CHANGED).getReason());
        assertTrue(fleet.pods("after").isEmpty(), "nothing runs again");
    }

    @Test
    void refusedSpecFixedByAnEditRuns() {
        fleet.nodes("fix-a", "fix-b");
        fleet.create(SpecBuilder.spec().pair("fix-a", "fix-b", 1).flows(1, 4).named("fix"));
        NeperTest refused = fleet.awaitPhase("fix", TestPhase.Failed);
        assertEquals(Reason.InvalidSpec.name(), refused.getStatus().reason());
        assertTrue(refused.getStatus().message().contains("threads: 4 exceeds flows 1"), refused.getStatus().message());

        editSpec("fix", spec -> SpecBuilder.spec().pair("fix-a", "fix-b", 1).flows(4, 4).build());
        fleet.awaitPod("fix-server-0");
        NeperTest running = fleet.awaitPhase("fix", TestPhase.Starting);
        assertTrue(!Conditions.isTrue(running.getStatus().conditions(), TestConditions.INVALID_SPEC));
    }

    private void editSpec(String name, UnaryOperator<NeperTestSpec> edit) {
        fleet.client().resources(NeperTest.class).inNamespace(fleet.namespace()).withName(name).edit(t -> {
            t.setSpec(edit.apply(t.getSpec()));
            return t;
        });
    }
}
