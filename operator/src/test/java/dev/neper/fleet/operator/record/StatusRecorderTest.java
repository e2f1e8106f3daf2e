package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.events.EventRecorder;
import dev.neper.fleet.operator.events.Notice;
import dev.neper.fleet.operator.testing.SpecBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status recorder over any resource, here with a policy that reads every phase change as urgent
 * and announces it: one transition decides the write, its Events and metrics, and the next reconcile;
 * a failed reconcile's cause is recorded in the ReconcileError condition, and settled once it recovers.
 */
@Tag("unit")
class StatusRecorderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<Notice> emitted = new ArrayList<>();
    private final List<NeperTestStatus> written = new ArrayList<>();
    private final StatusRecorder<NeperTest, NeperTestStatus, PhaseChange> recorder = new StatusRecorder<>(
            new PhasePolicy(), new StatusWrites(Duration.ofSeconds(1)), new EventRecorder(null) {
                @Override
                public void emit(HasMetadata resource, Reason reason, String message) {
                    emitted.add(new Notice(reason, message));
                }
            });

    @Test
    void aChangeIsWrittenWithItsEventsAndTheNextLookIsWhenAsked() {
        NeperTest test = test(null);
        UpdateControl<NeperTest> control = recorder.record(test, status(TestPhase.Starting, "a"), T0.plusSeconds(20), T0);
        assertTrue(control.isPatchStatus());
        assertEquals(millis(Duration.ofSeconds(20).plus(StatusRecorder.PAST_DEADLINE)), control.getScheduleDelay());
        assertEquals(List.of(new Notice(Reason.Started, "a")), emitted);
        assertEquals(List.of(status(TestPhase.Starting, "a")), written);
        assertEquals(status(TestPhase.Starting, "a"), test.getStatus());
    }

    @Test
    void anUnchangedStatusIsNotWrittenAndTheWaitIsCapped() {
        NeperTest test = test(status(TestPhase.Running, "a"));
        UpdateControl<NeperTest> control = recorder.record(test, status(TestPhase.Running, "a"), T0.plusSeconds(3600), T0);
        assertFalse(control.isPatchStatus());
        assertEquals(millis(StatusRecorder.MAX_RESCHEDULE), control.getScheduleDelay());
        assertEquals(List.of(), emitted);
        assertEquals(Optional.empty(), recorder.record(test, null, null, T0).getScheduleDelay(), "nothing to say");
    }

    @Test
    void aChangeThatIsNotUrgentWaitsForTheMinimumIntervalButAnUrgentOneDoesNot() {
        NeperTest test = test(null);
        recorder.record(test, status(TestPhase.Running, "a"), null, T0);
        UpdateControl<NeperTest> soon = recorder.record(test, status(TestPhase.Running, "b"), null, T0.plusMillis(400));
        assertFalse(soon.isPatchStatus(), "coalesced");
        assertEquals(millis(Duration.ofMillis(600).plus(StatusRecorder.PAST_DEADLINE)), soon.getScheduleDelay());
        assertTrue(recorder.record(test, status(TestPhase.Running, "b"), null, T0.plusSeconds(1)).isPatchStatus());
        assertTrue(recorder.record(test, status(TestPhase.Succeeded, "c"), null, T0.plusMillis(1100)).isPatchStatus());
        assertEquals(millis(StatusRecorder.FOLLOW_UP.plus(StatusRecorder.PAST_DEADLINE)),
                recorder.record(test, status(TestPhase.Failed, "d"), null, T0.plusSeconds(3)).getScheduleDelay(),
                "an end is followed up at once");
    }

    @Test
    void aFailedReconcileIsRecordedWithItsCauseAndTheRecoveryStillNamesIt() {
        NeperTest test = test(status(TestPhase.Starting, "a"));
        Exception refused = new OperatorException(new KubernetesClientException("Failure executing: POST at:"
                + " https://api/api/v1/namespaces/unit/pods. Message: pods is forbidden: exceeded quota. Received status:"
                + " Status(code=403).", 403, new Status()));
        recorder.recordFailure(test, refused, T0);
        ErrorStatusUpdateControl<NeperTest> second = recorder.recordFailure(test, refused, T0.plusSeconds(1));
        Condition failing = Conditions.find(second.getResource().orElseThrow().getStatus().conditions(),
                ReconcileFailures.CONDITION);
        assertEquals("True", failing.getStatus());
        assertEquals(Reason.ReconcileFailed.name(), failing.getReason());
        assertEquals("attempt 2 since " + T0 + " failed (retrying with backoff): HTTP 403: Failure executing: POST at:"
                + " https://api/api/v1/namespaces/unit/pods. Message: pods is forbidden: exceeded quota.",
                failing.getMessage());
        assertEquals(T0.toString(), failing.getLastTransitionTime(), "still the same failure");
        assertEquals(7L, failing.getObservedGeneration());

        recorder.record(test, status(TestPhase.Starting, "a"), null, T0.plusSeconds(3));
        Condition recovered = Conditions.find(test.getStatus().conditions(), ReconcileFailures.CONDITION);
        assertEquals("False", recovered.getStatus());
        assertEquals(Reason.Recovered.name(), recovered.getReason());
        assertTrue(recovered.getMessage().startsWith("recovered at " + T0.plusSeconds(3) + " after 2 failed attempts since "
                + T0 + "; the last: HTTP 403"), recovered.getMessage());
        int writes = written.size();
        assertFalse(recorder.record(test, status(TestPhase.Starting, "a"), null, T0.plusSeconds(9)).isPatchStatus(),
                "on record now: the next reconcile writes nothing");
        assertEquals(writes, written.size());
    }

    @Test
    void aFailureBeforeAnyStatusGetsAStatusOfItsOwnAndARecordedOneRecoversAfterARestart() {
        NeperTest test = test(null);
        recorder.recordFailure(test, new IllegalStateException("connect timed out"), T0);
        assertEquals(List.of(ReconcileFailures.CONDITION),
                test.getStatus().conditions().stream().map(Condition::getType).toList());

        NeperTest restarted = test(test.getStatus());
        StatusRecorder<NeperTest, NeperTestStatus, PhaseChange> fresh = new StatusRecorder<>(new PhasePolicy(),
                new StatusWrites(Duration.ofSeconds(1)), new EventRecorder(null) {
                    @Override
                    public void emit(HasMetadata resource, Reason reason, String message) {
                    }
                });
        fresh.record(restarted, status(TestPhase.Starting, "a"), null, T0.plusSeconds(30));
        Condition recovered = Conditions.find(restarted.getStatus().conditions(), ReconcileFailures.CONDITION);
        assertEquals("False", recovered.getStatus());
        assertTrue(recovered.getMessage().contains("connect timed out"), recovered.getMessage());
    }

    private static Optional<Long> millis(Duration delay) {
        return Optional.of(delay.toMillis());
    }

    private static NeperTest test(NeperTestStatus status) {
        NeperTest test = SpecBuilder.spec().pair("s0", "c0", 1).stored("rec", 7);
        test.setStatus(status);
        return test;
    }

    private static NeperTestStatus status(TestPhase phase, String message) {
        return NeperTestStatus.builder().phase(phase).reason(Reason.Started).message(message).observedGeneration(7L).build();
    }

    private record PhaseChange(boolean urgent, List<Notice> events, boolean followUp) implements Transition {
    }

    private final class PhasePolicy implements StatusPolicy<NeperTest, NeperTestStatus, PhaseChange> {
        @Override
        public PhaseChange transition(NeperTestStatus before, NeperTestStatus after) {
            boolean phaseChanged = before == null || before.phase() != after.phase();
            return new PhaseChange(phaseChanged, phaseChanged ? List.of(new Notice(Reason.Started, after.message()))
                    : List.of(), after.phase().isTerminal());
        }

        @Override
        public void written(NeperTest resource, PhaseChange transition, NeperTestStatus status) {
            written.add(status);
        }

        @Override
        public NeperTestStatus empty(NeperTest resource) {
            return NeperTestStatus.builder().observedGeneration(resource.getMetadata().getGeneration()).build();
        }
    }
}
