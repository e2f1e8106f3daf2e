package dev.neper.fleet.local;

import dev.neper.fleet.local.agent.NodeAgent;
import dev.neper.fleet.local.agent.PodRuntime;
import dev.neper.fleet.local.api.EmbeddedApiServer;
import dev.neper.fleet.local.container.Podman;
import dev.neper.fleet.local.operator.OperatorLaunch;
import dev.neper.fleet.local.operator.OperatorProcess;
import dev.neper.fleet.local.topology.FleetLayout;
import dev.neper.fleet.local.topology.FleetNetwork;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole system on one machine: N nodes as network namespaces wired by rails, a node agent
 * playing their kubelet, a Kubernetes API (embedded, or the cluster of a given kubeconfig), the
 * operator's replicas (each in its own JVM, or from its image in podman); then a NeperTest applied
 * and followed until it ends. Everything it made is removed when it returns, on Ctrl-C too.
 */
public final class LocalFleet implements AutoCloseable {
    public static final ResourceDefinitionContext NEPERTESTS = new ResourceDefinitionContext.Builder()
            .withGroup("neper.dev").withVersion("v1alpha1").withKind("NeperTest").withPlural("nepertests")
            .withNamespaced(true).build();
    public static final ResourceDefinitionContext NEPERFLEETTESTS = new ResourceDefinitionContext.Builder()
            .withGroup("neper.dev").withVersion("v1alpha1").withKind("NeperFleetTest").withPlural("neperfleettests")
            .withNamespaced(true).build();

    /** The Lease the operators elect their leader with (the operator's neper.leader-election.lease-name). */
    public static final String LEADER_LEASE = "neper-fleet-operator";

    /**
     * One machine runs the API, every node's runners and the operators: a leader starved past
     * client-go's 10 s renew deadline while a wave of runner JVMs starts exits, and nothing restarts
     * it here as a Deployment would. So a local leader may go 25 s without renewing (the lease, and
     * with it a takeover, lasts 30 s), and the leader election logs each renewal and why one failed.
     */
    static final Map<String, String> LOADED_MACHINE_LEADER_ELECTION = Map.of(
            "NEPER_LEADER_ELECTION_LEASE_DURATION", "30s",
            "NEPER_LEADER_ELECTION_RENEW_DEADLINE", "25s",
            "QUARKUS_LOG_CATEGORY__IO_FABRIC8_KUBERNETES_CLIENT_EXTENDED_LEADERELECTION__LEVEL", "DEBUG");

    /** Where a local fleet's parts are: the checkout it runs from. */
    public record Paths(Path runnerLauncher, Path operatorJar, List<Path> crds) {
        public static Paths inCheckout(Path root) {
            return new Paths(root.resolve("bin/neper-runner"), root.resolve("operator/target/quarkus-app/quarkus-run.jar"),
                    List.of(root.resolve("crds/nepertests.neper.dev-v1.yml"),
                            root.resolve("crds/neperfleettests.neper.dev-v1.yml")));
        }
    }

    /**
     * The images the fleet runs from, each null for "from this checkout": with {@code runner}, the node
     * agent runs every pod in podman from its image (and the operator's default runner image is this
     * one), else as a process of bin/neper-runner; with {@code operator}, the operator runs from its
     * image in podman, else from its jar.
     */
    public record Images(String runner, String operator) {
        public static final Images NONE = new Images(null, null);
    }

    private final FleetLayout layout;
    private final String namespace;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private boolean closed;
    private final Path workDirectory;
    private FleetNetwork network;
    private NodeAgent agent;
    private KubernetesClient client;
    private final List<OperatorProcess> operators = new ArrayList<>();
    private OperatorLaunch operatorLaunch;
    private Map<String, String> operatorSettings;
    private Path kubeconfig;

    private LocalFleet(FleetLayout layout, String namespace, Path workDirectory) {
        this.layout = layout;
        this.namespace = namespace;
        this.workDirectory = workDirectory;
    }

    /**
     * Builds the fleet and starts everything, {@code operators} operator replicas among them (they
     * elect a leader); closes what it started if any step fails.
     */
    public static LocalFleet start(int nodes, int links, int operators, Path kubeconfig, String namespace, Paths paths)
            throws IOException {
        return start(nodes, links, operators, kubeconfig, namespace, paths, Images.NONE);
    }

    /** As {@link #start(int, int, int, Path, String, Paths)}, the images' parts in podman. */
    public static LocalFleet start(int nodes, int links, int operators, Path kubeconfig, String namespace, Paths paths,
                                   Images images) throws IOException {
        LocalFleet fleet = create(nodes, links, namespace);
        fleet.start(operators, kubeconfig, paths, images);
        return fleet;
    }

    /** A fleet not started yet (nothing made but its work directory), so it can be closed from the start on. */
    public static LocalFleet create(int nodes, int links, String namespace) throws IOException {
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        return new LocalFleet(new FleetLayout(id, nodes, links), namespace,
                Files.createTempDirectory("neper-local-" + id + "-"));
    }

    /** Starts everything; closes what it started if a step fails, or if the fleet is closed meanwhile. */
    public void start(int operatorCount, Path kubeconfig, Paths paths, Images images) throws IOException {
        try {
            startParts(kubeconfig, paths, images, operatorCount);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Keeps {@code part} to close with the fleet; a fleet closed while it started closes the part at once. */
    private synchronized <T extends AutoCloseable> T own(T part) {
        if (closed) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e.getMessage());
            }
            throw new IllegalStateException("the local fleet was stopped while it started");
        }
        opened.add(part);
        return part;
    }

    private void startParts(Path kubeconfig, Paths paths, Images images, int operatorCount) throws IOException {
        Podman podman = images.runner() != null || images.operator() != null ? Podman.require() : null;
        network = own(FleetNetwork.create(layout));
        Map<String, String> clientEnvironment;
        if (kubeconfig == null) {
            EmbeddedApiServer api = own(EmbeddedApiServer.start());
            client = api.client();
            clientEnvironment = Map.of("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", api.url(),
                    "QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
            this.kubeconfig = Files.writeString(workDirectory.resolve("kubeconfig"), embeddedKubeconfig(api.url()));
        } else {
            this.kubeconfig = kubeconfig.toAbsolutePath();
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
            clientEnvironment = Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
        }
        own(client);
        for (Path file : paths.crds()) {
            try (InputStream crd = Files.newInputStream(file)) {
                client.apiextensions().v1().customResourceDefinitions().load(crd).createOr(NonDeletingOperation::update);
            }
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(NonDeletingOperation::update);
        PodRuntime pods = images.runner() == null ? PodRuntime.processes(paths.runnerLauncher())
                : PodRuntime.podman(podman, layout.fleetId());
        agent = own(new NodeAgent(client, layout, pods, workDirectory.resolve("pods")));
        agent.start();
        Map<String, String> settings = new HashMap<>(clientEnvironment);
        settings.putAll(LOADED_MACHINE_LEADER_ELECTION);
        if (images.runner() != null) {
            settings.put("NEPER_RUNNER_IMAGE", images.runner());
        }
        operatorLaunch = images.operator() == null ? OperatorLaunch.jar(paths.operatorJar())
                : OperatorLaunch.image(podman, images.operator(), layout.fleetId());
        operatorSettings = settings;
        for (int i = 1; i <= operatorCount; i++) {
            startOperator();
        }
    }

    /**
     * Starts one more operator replica (a fleet started with none gets its first: objects stored
     * before it, as an upgrade finds them); it is stopped with the fleet.
     */
    public synchronized OperatorProcess startOperator() throws IOException {
        int i = operators.size() + 1;
        OperatorProcess operator = OperatorProcess.start(operatorLaunch, operatorSettings, namespace,
                "local-operator-" + i + "-" + layout.fleetId(), workDirectory.resolve("operator-" + i + ".log"));
        own(operator);
        operators.add(operator);
        return operator;
    }

    public List<OperatorProcess> operators() {
        return List.copyOf(operators);
    }

    /** The operator that holds the leader election's Lease, if one does. */
    public Optional<OperatorProcess> leader() {
        Lease lease = client.leases().inNamespace(namespace).withName(LEADER_LEASE).get();
        String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return operators.stream().filter(o -> o.identity().equals(holder)).findFirst();
    }

    public FleetLayout layout() {
        return layout;
    }

    public FleetNetwork network() {
        return network;
    }

    public NodeAgent agent() {
        return agent;
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    /** A kubeconfig for the fleet's API (the embedded server's, in the fleet's namespace, or the one given), for kubectl-like tools. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    private String embeddedKubeconfig(String url) {
        // the embedded server's certificate is its own, self-signed
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: local-fleet, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: local-fleet, user: {token: local-fleet}}]
                contexts: [{name: local-fleet, context: {cluster: local-fleet, user: local-fleet, namespace: %s}}]
                current-context: local-fleet
                """.formatted(url, namespace);
    }

    public Path workDirectory() {
        return workDirectory;
    }

    /** Applies a NeperTest in the fleet's namespace; returns its name. */
    public String apply(InputStream yaml) throws IOException {
        try {
            return apply(TestFile.parse(new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "the NeperTest"));
        } catch (TestFile.Refused e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Applies a NeperTest (one {@link TestFile} took) in the fleet's namespace; returns its name. */
    String apply(GenericKubernetesResource test) {
        return apply(NEPERTESTS, test);
    }

    /** Applies a resource of {@code kind} (NEPERTESTS, NEPERFLEETTESTS) from YAML in the fleet's namespace; its name. */
    public String apply(ResourceDefinitionContext kind, InputStream yaml) {
        return apply(kind, client.genericKubernetesResources(kind).inNamespace(namespace).load(yaml).item());
    }

    private String apply(ResourceDefinitionContext kind, GenericKubernetesResource resource) {
        resource.getMetadata().setNamespace(namespace);
        client.genericKubernetesResources(kind).inNamespace(namespace).resource(resource)
                .createOr(NonDeletingOperation::update);
        return resource.getMetadata().getName();
    }

    public GenericKubernetesResource get(String name) {
        return get(NEPERTESTS, name);
    }

    public GenericKubernetesResource get(ResourceDefinitionContext kind, String name) {
        return client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get();
    }

    public void delete(String name) {
        client.genericKubernetesResources(NEPERTESTS).inNamespace(namespace).withName(name).delete();
    }

    /** The child NeperTests of a fleet test, by name. */
    public List<GenericKubernetesResource> children(String fleetTest) {
        return client.genericKubernetesResources(NEPERTESTS).inNamespace(namespace)
                .withLabel("neper.dev/fleet-test", fleetTest).list().getItems().stream()
                .sorted(java.util.Comparator.comparing(t -> t.getMetadata().getName())).toList();
    }

    /** Whether an operator replica still runs. */
    public boolean operatorsAlive() {
        return operators.stream().anyMatch(OperatorProcess::isAlive);
    }

    /** How following a NeperTest ended: its last status, and whether it ended, or why not. */
    public record Followed(Map<String, Object> status, boolean ended, String notEnded) {
    }

    /**
     * Follows a NeperTest until it ends, {@code timeout} passes or every operator has exited, printing
     * each phase it enters and, at the end, its per-link table; when it did not end, a line saying why.
     */
    public Followed follow(String name, Duration timeout, PrintStream out) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String lastLine = null;
        Map<String, Object> status = Map.of();
        String notEnded = "NeperTest " + name + " did not end within " + timeout.toSeconds() + " s";
        while (System.nanoTime() < end) {
            if (isClosed()) {
                return new Followed(status, false, "the local fleet was stopped");
            }
            GenericKubernetesResource test = get(name);
            status = test == null ? Map.of() : StatusView.status(test);
            String line = StatusView.phaseLine(status);
            if (!line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
            if (StatusView.ended(status)) {
                out.print(StatusView.linkTable(status));
                return new Followed(status, true, null);
            }
            if (!operators.isEmpty() && operators.stream().noneMatch(OperatorProcess::isAlive)) {
                notEnded = operators.stream().map(o -> "the operator " + o.exitDescription() + " (its log: " + o.log() + ")")
                        .collect(java.util.stream.Collectors.joining("; ")) + ": NeperTest " + name + " did not end";
                break;
            }
            Thread.sleep(500);
        }
        out.print(StatusView.linkTable(status));
        out.println(notEnded);
        return new Followed(status, false, notEnded);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Removes the logs of the operator, the agent and the pods; for a run that passed. */
    public void deleteWorkDirectory() throws IOException {
        try (var paths = Files.walk(workDirectory)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Stops the operator, the agent (and every pod process), the API server, and removes the
     * namespaces; once, whoever calls it first (the main thread or a shutdown hook on SIGTERM).
     */
    @Override
    public synchronized void close() {
        closed = true;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        opened.clear();
    }
}
