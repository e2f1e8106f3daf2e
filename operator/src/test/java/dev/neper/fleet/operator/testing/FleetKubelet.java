package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.NodeTopologies;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.contract.Role;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' kubelet for fleet runs, answering on its own the pods of one fleet test: a discovery pod
 * ends at once with its node's topology (or fails); a server pod becomes ready; a client pod ends, and
 * so does its server, with each link's throughput or error from the {@link FleetNetwork}. Nothing takes
 * test time: what a run costs beyond its tests' durations is what is left.
 */
public final class FleetKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final String fleetTest;
    private final FleetNetwork network;
    private final ExecutorService workers = Executors.newFixedThreadPool(4,
            r -> Thread.ofPlatform().daemon().name("fleet-kubelet").unstarted(r));
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile boolean paused;
    private SharedIndexInformer<Pod> informer;

    public FleetKubelet(KubernetesClient client, String namespace, String fleetTest, FleetNetwork network) {
        this.client = client;
        this.namespace = namespace;
        this.fleetTest = fleetTest;
        this.network = network;
    }

    public FleetKubelet start() {
        informer = client.pods().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        handle(pod);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        handle(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                    }
                });
        return this;
    }

    /** While paused, new pods wait; {@link #resume} answers them. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        informer.getStore().list().forEach(this::handle);
    }

    /** Status writes this kubelet made. */
    public int writes() {
        return writes.get();
    }

    private void handle(Pod pod) {
        if (paused || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String name = pod.getMetadata().getName();
        if (FleetLabels.DISCOVERY.equals(label(pod, FleetLabels.COMPONENT))) {
            if (fleetTest.equals(label(pod, FleetLabels.FLEET_TEST)) && handled.add(name)) {
                workers.submit(() -> discover(pod));
            }
            return;
        }
        String test = label(pod, Labels.TEST);
        if (test == null || !test.startsWith(fleetTest + "-")) {
            return;
        }
        if ("server".equals(label(pod, Labels.ROLE)) && handled.add(name)) {
            workers.submit(() -> guard(() -> new Kubelet(client, namespace).ready(name)));
        } else if ("client".equals(label(pod, Labels.ROLE)) && handled.add(name)) {
            workers.submit(() -> run(pod, test));
        }
    }

    private void discover(Pod pod) {
        String node = pod.getSpec().getNodeName();
        NodeTopology topology = network.topology(node);
        Kubelet kubelet = new Kubelet(client, namespace);
        guard(() -> {
            if (topology == null) {
                kubelet.failed(pod.getMetadata().getName(), 1, "Error", "neper-runner discover: cannot open a netlink"
                        + " socket: EPERM (injected)");
            } else {
                kubelet.terminated(pod.getMetadata().getName(), ReportJson.toCompactJson(NodeTopologies.compact(topology)));
            }
        });
    }

    private void run(Pod clientPod, String test) {
        NeperTest child = client.resources(NeperTest.class).inNamespace(namespace).withName(test).get();
        int index = Integer.parseInt(label(clientPod, Labels.PAIR));
        Pair pair = child.getSpec().pairList().get(index);
        List<LinkSummary> server = new ArrayList<>();
        List<LinkSummary> clientLinks = new ArrayList<>();
        for (Link link : pair.linkList()) {
            FleetNetwork.Outcome outcome = network.link(pair.server().node(), pair.client().node(), link.device());
            long bytes = outcome.gbps() == null ? 0 : (long) (outcome.gbps() * 1.25e9);
            server.add(new LinkSummary(link.device(), outcome.error() == null, outcome.gbps(), bytes, 0, null, null,
                    outcome.error(), outcome.message()));
            clientLinks.add(new LinkSummary(link.device(), outcome.error() == null, null, 0, bytes, null, null,
                    outcome.error(), outcome.message()));
        }
        boolean ok = server.stream().allMatch(LinkSummary::succeeded);
        Kubelet kubelet = new Kubelet(client, namespace);
        String serverPod = clientPod.getMetadata().getName().replace("-client-", "-server-");
        guard(() -> write(kubelet, clientPod.getMetadata().getName(), new NodeSummary(NodeSummary.SCHEMA_VERSION,
                Role.CLIENT.name(), ok, clientLinks, null, false), ok));
        guard(() -> write(kubelet, serverPod, new NodeSummary(NodeSummary.SCHEMA_VERSION, Role.SERVER.name(), ok, server,
                null, false), ok));
    }

    private static void write(Kubelet kubelet, String pod, NodeSummary summary, boolean ok) {
        if (ok) {
            kubelet.succeeded(pod, summary);
        } else {
            kubelet.failed(pod, summary);
        }
    }

    /** A pod deleted meanwhile (its test ended) cannot take its status: that is fine. */
    private void guard(Runnable write) {
        try {
            write.run();
            writes.incrementAndGet();
        } catch (KubernetesClientException e) {
            // gone
        }
    }

    private static String label(Pod pod, String key) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
    }

    @Override
    public void close() throws InterruptedException {
        if (informer != null) {
            informer.close();
        }
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
