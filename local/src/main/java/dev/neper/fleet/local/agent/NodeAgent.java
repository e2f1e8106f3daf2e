package dev.neper.fleet.local.agent;

import dev.neper.fleet.local.topology.FleetLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the kubelet for the local fleet's nodes: registers them as Node objects, runs each pod bound
 * to one of them in that node's network namespace (as a process or a podman container: its
 * {@link PodRuntime}), probes its readiness, writes its status (phase, Ready, the container's state
 * and termination message) back, and stops the container when the pod is deleted.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeAgent.class.getName());
    private static final long TICK_MILLIS = 250;
    private static final long MAX_GRACE_SECONDS = 30;
    private static final long HEARTBEAT_SECONDS = 10;

    private final KubernetesClient client;
    private final FleetLayout layout;
    private final PodRuntime runtime;
    private final Path workDirectory;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    private final Map<Integer, NamespacePortProbe> probes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("node-agent").unstarted(r));
    private SharedIndexInformer<Pod> informer;

    /** One pod's process and what the agent last reported of it. */
    private static final class PodRun {
        final Pod pod;
        final int node;
        final PodProcess process;
        /**
         * Whether the first status is written; the ticker waits for it, as its Ready status, should the
         * probe pass at once (a deleted pod's process still on the port), would otherwise be overwritten
         * by the first and never written again: the pod would never be Ready.
         */
        volatile boolean started;
        boolean ready;
        boolean finished;

        PodRun(Pod pod, int node, PodProcess process) {
            this.pod = pod;
            this.node = node;
            this.process = process;
        }
    }

    public NodeAgent(KubernetesClient client, FleetLayout layout, PodRuntime runtime, Path workDirectory) {
        this.client = client;
        this.layout = layout;
        this.runtime = runtime;
        this.workDirectory = workDirectory;
    }

    public void start() {
        for (int node = 1; node <= layout.nodes(); node++) {
            registerNode(node);
        }
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                admit(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                admit(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                stop(pod);
            }
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private void registerNode(int node) {
        String name = layout.nodeName(node);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).addToLabels("neper.dev/local-fleet", layout.fleetId())
                .endMetadata()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("local node agent is posting ready status").withLastHeartbeatTime(Instant.now().toString())
                .endCondition()
                .addNewAddress().withType("InternalIP").withAddress(hostIp(node)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addToCapacity("cpu", new Quantity("2")).addToCapacity("memory", new Quantity("24Gi"))
                .addToAllocatable("cpu", new Quantity("2")).addToAllocatable("memory", new Quantity("24Gi"))
                .endStatus().build()).createOr(NonDeletingOperation::update);
    }

    /** Renews each node's Ready heartbeat, as a kubelet does, so a real cluster keeps the nodes Ready. */
    private void heartbeat() {
        for (String name : layout.nodeNames()) {
            try {
                client.nodes().withName(name).editStatus(node -> {
                    node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                            .forEach(c -> c.setLastHeartbeatTime(Instant.now().toString()));
                    return node;
                });
            } catch (KubernetesClientException e) {
                LOG.warning(() -> "cannot renew node " + name + ": " + e.getMessage());
            }
        }
    }

    private String hostIp(int node) {
        return layout.address(node, 1);
    }

    private void admit(Pod pod) {
        int node = layout.nodeNumber(pod.getSpec().getNodeName());
        String uid = pod.getMetadata().getUid();
        if (node < 0 || runs.containsKey(uid) || pod.getMetadata().getDeletionTimestamp() != null
                || isTerminal(pod.getStatus())) {
            return;
        }
        synchronized (this) {
            if (runs.containsKey(uid)) {
                return;
            }
            Container container = pod.getSpec().getContainers().getFirst();
            Path directory = workDirectory.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName()
                    + "_" + uid);
            try {
                PodProcess process = runtime.start(pod, layout.namespace(node), directory);
                PodRun run = new PodRun(pod, node, process);
                runs.put(uid, run);
                LOG.info(() -> "started pod " + name(pod) + " on " + layout.nodeName(node) + ": "
                        + String.join(" ", process.argv()));
                writeStatus(pod, PodStatuses.running(pod, hostIp(node), process.started(), !hasTcpProbe(container)));
                run.started = true;
            } catch (PodRuntime.ImageNotPresentException e) {
                LOG.warning(() -> "cannot run pod " + name(pod) + ": " + e.getMessage());
                runs.put(uid, new PodRun(pod, node, null));
                writeStatus(pod, PodStatuses.waiting(pod, hostIp(node), "ErrImageNeverPull", e.getMessage()));
            } catch (IllegalArgumentException | IOException e) {
                LOG.warning(() -> "cannot run pod " + name(pod) + ": " + e.getMessage());
                runs.put(uid, new PodRun(pod, node, null));
                writeStatus(pod, PodStatuses.failedToStart(pod, hostIp(node), "StartError", e.getMessage()));
            }
        }
    }

    private static boolean isTerminal(PodStatus status) {
        return status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()));
    }

    private static boolean hasTcpProbe(Container container) {
        return container.getReadinessProbe() != null && container.getReadinessProbe().getTcpSocket() != null;
    }

    private void tick() {
        for (PodRun run : runs.values()) {
            if (run.process == null || run.finished || !run.started) {
                continue;
            }
            try {
                if (!run.process.isAlive()) {
                    finish(run);
                } else if (!run.ready && probe(run)) {
                    run.ready = true;
                    writeStatus(run.pod, PodStatuses.running(run.pod, hostIp(run.node), run.process.started(), true));
                }
            } catch (RuntimeException | IOException e) {
                LOG.log(Level.WARNING, "pod " + name(run.pod) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean probe(PodRun run) throws InterruptedException {
        Probe probe = run.pod.getSpec().getContainers().getFirst().getReadinessProbe();
        if (probe == null || probe.getTcpSocket() == null) {
            return true;
        }
        String host = probe.getTcpSocket().getHost() != null ? probe.getTcpSocket().getHost() : hostIp(run.node);
        int port = probe.getTcpSocket().getPort().getIntVal();
        return probes.computeIfAbsent(run.node, n -> new NamespacePortProbe(layout.namespace(n))).accepts(host, port);
    }

    private void finish(PodRun run) throws IOException {
        run.finished = true;
        boolean fallback = "FallbackToLogsOnError".equals(
                run.pod.getSpec().getContainers().getFirst().getTerminationMessagePolicy());
        String message = run.process.terminationMessage(fallback);
        int exitCode = run.process.exitCode();
        LOG.info(() -> "pod " + name(run.pod) + " exited with " + exitCode);
        writeStatus(run.pod, PodStatuses.terminated(run.pod, hostIp(run.node), run.process.started(), exitCode, message));
    }

    private void stop(Pod pod) {
        PodRun run = runs.remove(pod.getMetadata().getUid());
        if (run == null || run.process == null) {
            return;
        }
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        long seconds = Math.min(grace == null ? MAX_GRACE_SECONDS : grace, MAX_GRACE_SECONDS);
        Thread.ofPlatform().daemon().name("stop-" + pod.getMetadata().getName()).start(() -> {
            try {
                run.process.stop(seconds);
                LOG.info(() -> "stopped deleted pod " + name(pod));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void writeStatus(Pod pod, PodStatus status) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(current -> {
                        current.setStatus(status);
                        return current;
                    });
        } catch (KubernetesClientException e) {
            LOG.fine(() -> "pod " + name(pod) + " is gone, status not written: " + e.getMessage());
        }
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /**
     * Host pids of the pods' first processes (the runners' JVMs), by pod, for the pods still running:
     * a deleted test must leave none. A container not started yet is left out.
     */
    public Map<String, Long> runningPids() {
        Map<String, Long> pids = new ConcurrentHashMap<>();
        runs.forEach((uid, run) -> {
            if (run.process != null && run.process.isAlive()) {
                long pid = run.process.pid();
                if (pid > 0) {
                    pids.put(name(run.pod), pid);
                }
            }
        });
        return pids;
    }

    /** Stops watching, then stops every pod's container (SIGTERM, then SIGKILL), the probe threads and the runtime. */
    @Override
    public void close() throws InterruptedException {
        if (informer != null) {
            informer.close();
        }
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        for (PodRun run : runs.values()) {
            if (run.process != null) {
                run.process.stop(5);
            }
        }
        runs.clear();
        for (NamespacePortProbe probe : probes.values()) {
            probe.close();
        }
        probes.clear();
        runtime.close();
    }
}
