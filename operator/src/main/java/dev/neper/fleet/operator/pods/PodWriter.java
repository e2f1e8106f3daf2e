package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.metrics.TestMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.util.Collection;

/**
 * Creates and deletes runner pods. A created pod goes straight into the operator's pod cache, so
 * the next reconcile, triggered by the first of many pod events, does not create it again.
 */
public final class PodWriter {
    private static final Logger LOG = Logger.getLogger(PodWriter.class);

    private final KubernetesClient client;
    private final InformerEventSource<Pod, NeperTest> pods;
    private final TestMetrics metrics;

    public PodWriter(KubernetesClient client, InformerEventSource<Pod, NeperTest> pods, TestMetrics metrics) {
        this.client = client;
        this.pods = pods;
        this.metrics = metrics;
    }

    public void create(NeperTest test, Pod pod) {
        try {
            Pod created = client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
            pods.handleRecentResourceCreate(ResourceID.fromResource(test), created);
            metrics.podCreated(pod.getMetadata().getLabels().get(Labels.ROLE));
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // created by an earlier reconcile whose pod the cache has not seen yet
            LOG.debugf("pod %s exists already", pod.getMetadata().getName());
        }
    }

    /** Deletes pods (stopping their runners); pods already gone are fine. */
    public void delete(Collection<Pod> toDelete) {
        for (Pod pod : toDelete) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        }
    }
}
