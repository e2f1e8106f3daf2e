package dev.neper.fleet.local.api;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API for a machine without a cluster: the Fabric8 mock server in CRUD mode on a
 * loopback port. It stores and serves objects, status subresources and watches, which is all the
 * operator and the node agent use (Leases for the operators' leader election included); it has no
 * scheduler, controllers or admission (the operator pins its pods with nodeName) and no server-side
 * apply. It enforces no RBAC either, so the one thing it answers that it does not store, the
 * SelfSubjectRulesReview the operators' leader election asks before it takes the Lease, says every
 * verb is allowed.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /** Held so the setting stays: the mock server logs every request it serves at INFO. */
    private static final Logger REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");
    static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    private final KubernetesMockServer server;

    private EmbeddedApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    public static EmbeddedApiServer start() {
        REQUEST_LOG.setLevel(Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.expect().post().withPath(RULES_REVIEWS).andReturn(201, new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                    .withIncomplete(false)
                    .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule()
                .endStatus()
                .build()).always();
        return new EmbeddedApiServer(server);
    }

    /** The API server's URL, for the operator's kubernetes-client configuration. */
    public String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
    }

    public KubernetesClient client() {
        return server.createClient();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
