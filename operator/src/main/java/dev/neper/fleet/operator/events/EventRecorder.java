package dev.neper.fleet.operator.events;

import dev.neper.fleet.operator.api.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes Events on any of the operator's resources ({@code kubectl describe} shows them). Which
 * Events a change deserves is the status recorder's transition to decide; this only writes them.
 */
@ApplicationScoped
public class EventRecorder {
    public static final String COMPONENT = "neper-fleet-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    /** The API server's limit on an Event message. */
    private static final int MAX_MESSAGE = 1024;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void emit(HasMetadata resource, List<Notice> notices) {
        for (Notice notice : notices) {
            emit(resource, notice.reason(), notice.message());
        }
    }

    public void emit(HasMetadata resource, Reason reason, String message) {
        String now = Instant.now().toString();
        String text = message == null ? "" : message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE - 1) + "…";
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(name + "." + Long.toHexString(System.currentTimeMillis())
                            + Long.toHexString(SEQUENCE.incrementAndGet()))
                    .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(name)
                        .withNamespace(namespace)
                        .withUid(resource.getMetadata().getUid())
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
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: the status carries the same facts, so losing one must not fail the reconcile
            LOG.warnf("could not record event %s on %s/%s: %s", reason, namespace, name, e.getMessage());
        }
    }
}
