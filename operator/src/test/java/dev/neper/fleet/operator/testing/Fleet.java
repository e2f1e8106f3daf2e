package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.pods.Labels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * The tests' side of the cluster: Node objects, NeperTests, and a kubelet. It talks to the test
 * server with its own user agent, so the requests the operator makes can be told from the tests'.
 */
public final class Fleet implements AutoCloseable {
    public static final String USER_AGENT = "neper-fleet-tests";
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final String namespace;
    private final Kubelet kubelet;

    private Fleet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.kubelet = new Kubelet(client, namespace);
    }

    public static Fleet connect(KubernetesServer server) {
        KubernetesClient operatorView = server.getClient();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(operatorView.getConfiguration()).withUserAgent(USER_AGENT).build())
                .build();
        return new Fleet(client, operatorView.getNamespace());
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    public Kubelet kubelet() {
        return kubelet;
    }

    public void nodes(String... names) {
        for (String name : names) {
            if (client.nodes().withName(name).get() == null) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
            }
        }
    }

    /** Nodes as a kubelet registers them: Ready, with these labels. */
    public void readyNodes(java.util.Map<String, String> labels, List<String> names) {
        for (String name : names) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .endCondition().endStatus().build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        }
    }

    public NeperFleetTest createFleet(NeperFleetTest test) {
        test.getMetadata().setNamespace(namespace);
        return client.resources(NeperFleetTest.class).inNamespace(namespace).resource(test).create();
    }

    public NeperFleetTest fleetTest(String name) {
        return client.resources(NeperFleetTest.class).inNamespace(namespace).withName(name).get();
    }

    public void deleteFleet(String name) {
        client.resources(NeperFleetTest.class).inNamespace(namespace).withName(name).delete();
    }

    public NeperFleetTest awaitFleet(String name, Predicate<NeperFleetTest> condition) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    NeperFleetTest test = fleetTest(name);
                    return test != null && condition.test(test);
                });
        return fleetTest(name);
    }

    public NeperFleetTest awaitFleetPhase(String name, FleetPhase phase) {
        return awaitFleet(name, t -> t.getStatus() != null && t.getStatus().phase() == phase);
    }

    /** The child NeperTests of a fleet test, by name. */
    public List<NeperTest> children(String fleetTest) {
        return client.resources(NeperTest.class).inNamespace(namespace).withLabel(FleetLabels.FLEET_TEST, fleetTest).list()
                .getItems().stream().sorted(Comparator.comparing(t -> t.getMetadata().getName())).toList();
    }

    public void deleteNode(String name) {
        client.nodes().withName(name).delete();
    }

    public NeperTest create(NeperTest test) {
        test.getMetadata().setNamespace(namespace);
        return client.resources(NeperTest.class).inNamespace(namespace).resource(test).create();
    }

    public NeperTest get(String name) {
        return client.resources(NeperTest.class).inNamespace(namespace).withName(name).get();
    }

    public void delete(String name) {
        client.resources(NeperTest.class).inNamespace(namespace).withName(name).delete();
    }

    public NeperTest await(String name, Predicate<NeperTest> condition) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    NeperTest test = get(name);
                    return test != null && condition.test(test);
                });
        return get(name);
    }

    public NeperTest awaitPhase(String name, TestPhase phase) {
        return await(name, t -> t.getStatus() != null && t.getStatus().phase() == phase);
    }

    public Pod awaitPod(String name) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> kubelet.pod(name) != null);
        return kubelet.pod(name);
    }

    /** Plays the kubelet for every pair's server until it is ready, then waits for the operator's client pods. */
    public void readyServers(String test, int pairs) {
        for (int i = 0; i < pairs; i++) {
            awaitPod(test + "-server-" + i);
            kubelet.ready(test + "-server-" + i);
        }
        for (int i = 0; i < pairs; i++) {
            awaitPod(test + "-client-" + i);
        }
    }

    public List<Pod> pods(String test) {
        return client.pods().inNamespace(namespace).withLabel(Labels.TEST, test).list().getItems().stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    public List<Event> events(String test) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && test.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(Event::getFirstTimestamp))
                .toList();
    }

    @Override
    public void close() {
        client.close();
    }
}
