package dev.neper.fleet.operator.events;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes Events on a NeperTest, one per transition: the test's phase changes, a pair failing,
 * the test starting to wait for another. Transitions are found by comparing the status last written
 * with the one about to be written, so an Event goes out once however often the reconciler runs.
 */
@ApplicationScoped
public class TestEvents {
    public static final String COMPONENT = "neper-fleet-operator";
    private static final Logger LOG = Logger.getLogger(TestEvents.class);
    /** The API server's limit on an Event message. */
    private static final int MAX_MESSAGE = 1024;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KubernetesClient client;

    public TestEvents(KubernetesClient client) {
        this.client = client;
    }

    /** The events the change from {@code before} (null: never written) to {@code after} deserves. */
    public static List<TestEvent> transitions(NeperTestStatus before, NeperTestStatus after) {
        List<TestEvent> events = new ArrayList<>();
        boolean waitingBefore = before != null && Conditions.isTrue(before.conditions(), Conditions.WAITING_FOR_NODES);
        boolean waitingAfter = Conditions.isTrue(after.conditions(), Conditions.WAITING_FOR_NODES);
        if (waitingAfter && (!waitingBefore || !Objects.equals(before.waitingFor(), after.waitingFor()))) {
            events.add(new TestEvent(Reason.WaitingForNodes, after.message()));
        }
        if (before != null) {
            List<PairStatus> old = before.pairList();
            List<PairStatus> now = after.pairList();
            for (int i = 0; i < now.size(); i++) {
                PairStatus pair = now.get(i);
                PairStatus was = i < old.size() ? old.get(i) : null;
                if (pair.phase() == PairPhase.Failed && (was == null || was.phase() != PairPhase.Failed)) {
                    events.add(new TestEvent(Reason.parse(pair.reason(), Reason.RunnerFailed), pair.message()));
                }
            }
        } else {
            for (PairStatus pair : after.pairList()) {
                if (pair.phase() == PairPhase.Failed) {
                    events.add(new TestEvent(Reason.parse(pair.reason(), Reason.RunnerFailed), pair.message()));
                }
            }
        }
        boolean phaseChanged = before == null || before.phase() != after.phase()
                || !Objects.equals(before.reason(), after.reason());
        if (phaseChanged && !Reason.WaitingForNodes.name().equals(after.reason())) {
            events.add(new TestEvent(Reason.parse(after.reason(), Reason.Accepted), after.message()));
        }
        boolean specChangedBefore = before != null && Conditions.isTrue(before.conditions(), Conditions.SPEC_CHANGED);
        if (!specChangedBefore && Conditions.isTrue(after.conditions(), Conditions.SPEC_CHANGED)
                && !Reason.RunRestarted.name().equals(after.reason())) {
            events.add(new TestEvent(Reason.SpecChangeIgnored,
                    Conditions.find(after.conditions(), Conditions.SPEC_CHANGED).getMessage()));
        }
        return events;
    }

    public void emit(NeperTest test, List<TestEvent> events) {
        for (TestEvent event : events) {
            emit(test, event.reason(), event.message());
        }
    }

    public void emit(NeperTest test, Reason reason, String message) {
        String now = Instant.now().toString();
        String text = message == null ? "" : message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE - 1) + "…";
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(test.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                            + Long.toHexString(SEQUENCE.incrementAndGet()))
                    .withNamespace(test.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(test.getApiVersion())
                        .withKind(test.getKind())
                        .withName(test.getMetadata().getName())
                        .withNamespace(test.getMetadata().getNamespace())
                        .withUid(test.getMetadata().getUid())
                        .build())
                .withReason(reason.name())
                .withMessage(text)
                .withType(reason.type().name())
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(test.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: the status carries the same facts, so losing one must not fail the reconcile
            LOG.warnf("could not record event %s on %s/%s: %s", reason, test.getMetadata().getNamespace(),
                    test.getMetadata().getName(), e.getMessage());
        }
    }

    /** One Event to record. */
    public record TestEvent(Reason reason, String message) {
    }
}
