package dev.neper.fleet.local.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API for a machine without a cluster: the Fabric8 mock server in CRUD mode on a
 * loopback port. It stores and serves objects, status subresources and watches, which is all the
 * operator and the node agent use; it has no scheduler, controllers or admission (the operator pins
 * its pods with nodeName) and no server-side apply.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /** Held so the setting stays: the mock server logs every request it serves at INFO. */
    private static final Logger REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;

    private EmbeddedApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    public static EmbeddedApiServer start() {
        REQUEST_LOG.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
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
