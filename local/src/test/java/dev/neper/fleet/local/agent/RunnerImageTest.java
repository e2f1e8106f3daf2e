package dev.neper.fleet.local.agent;

import dev.neper.fleet.local.container.Podman;
import dev.neper.fleet.local.images.ProjectImages;
import dev.neper.fleet.local.topology.FleetLayout;
import dev.neper.fleet.local.topology.FleetNetwork;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.cuda.CudaDoubleLibrary;
import dev.neper.fleet.runner.doctor.Check;
import dev.neper.fleet.runner.doctor.DoctorReport;
import dev.neper.fleet.runner.testing.TestFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner image run for real, as a cuda-mode runner pod runs it (privileged, the node's host
 * network, /dev and /sys, the NVIDIA libraries mounted at /usr/local/nvidia/lib64 with CUDA_LIB_DIR
 * naming them, the termination-message path), by the node agent's podman runtime in a two-node local
 * fleet; the libcuda "driver" is the runner's gcc-built test double. Its peer on the other node, and
 * its reference for "as on the host", is the same pod run as a bare process of this checkout's runner.
 */
@ExtendWith(ProjectImages.Extension.class)
class RunnerImageTest {
    private static final String NVIDIA_MOUNT = "/usr/local/nvidia/lib64";
    private static final String TERMINATION_PATH = "/tmp/neper-termination-log";
    private static final int CONTROL_PORT = 12866;
    private static final int DATA_PORT = 12900;
    private static final long RUN_TIMEOUT_SECONDS = 120;

    private static ProjectImages images;
    private static Podman podman;
    private static FleetLayout layout;
    private static FleetNetwork network;
    private static Path work;
    private static CudaDoubleLibrary cuda;
    private static PodRuntime containers;
    private static PodRuntime processes;
    private static final List<PodProcess> started = new ArrayList<>();

    @BeforeAll
    static void fleet(ProjectImages built) throws IOException {
        images = built;
        podman = built.podman();
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        layout = new FleetLayout(id, 2, 2);
        work = Files.createTempDirectory("neper-runner-image-");
        cuda = CudaDoubleLibrary.compile(work.resolve("nvidia"));
        network = FleetNetwork.create(layout);
        containers = PodRuntime.podman(podman, id);
        processes = PodRuntime.processes(ProjectImages.ROOT.resolve("bin/neper-runner"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (PodProcess process : started) {
            process.stop(5);
        }
        if (containers != null) {
            containers.close();
            assertTrue(podman.containersLabelled(Podman.FLEET_LABEL, layout.fleetId()).isEmpty(),
                    "no container left");
        }
        if (network != null) {
            List<String> namespaces = network.namespaces();
            network.close();
            namespaces.forEach(ns -> assertFalse(Files.exists(Path.of("/var/run/netns", ns)), ns + " left behind"));
        }
        if (work != null) {
            TestFiles.deleteTree(work);
        }
    }

    /** A runner pod as the operator writes one for cuda mode, with the double's directory as the NVIDIA libraries. */
    private static Pod runnerPod(String name, List<String> args, String cudaLibDir) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("images").withUid(UUID.randomUUID().toString())
                .endMetadata()
                .withNewSpec().withHostNetwork(true).withRestartPolicy("Never")
                .addNewVolume().withName("dev").withNewHostPath().withPath("/dev").withType("Directory").endHostPath()
                .endVolume()
                .addNewVolume().withName("sys").withNewHostPath().withPath("/sys").withType("Directory").endHostPath()
                .endVolume()
                .addNewVolume().withName("nvidia-libraries").withNewHostPath().withPath(cuda.directory.toString())
                .withType("Directory").endHostPath().endVolume()
                .addNewContainer().withName("runner").withImage(images.runner()).withCommand("neper-runner")
                .withArgs(args).withTerminationMessagePath(TERMINATION_PATH)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .addNewVolumeMount().withName("dev").withMountPath("/dev").endVolumeMount()
                .addNewVolumeMount().withName("sys").withMountPath("/sys").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("nvidia-libraries").withMountPath(NVIDIA_MOUNT).withReadOnly(true)
                .endVolumeMount()
                .addNewEnv().withName("CUDA_LIB_DIR").withValue(cudaLibDir).endEnv()
                .endContainer().endSpec().build();
    }

    /** Runs a pod on a node: in the image (podman), or as a host process, which sees the double where it is. */
    private static PodProcess run(boolean inImage, int node, String name, List<String> args) throws IOException {
        PodRuntime runtime = inImage ? containers : processes;
        Pod pod = runnerPod(name, args, inImage ? NVIDIA_MOUNT : cuda.directory.toString());
        PodProcess process = runtime.start(pod, layout.namespace(node), work.resolve(name));
        started.add(process);
        return process;
    }

    /** The links command of one side: both links of the pair, server on node 1, client on node 2. */
    private static List<String> links(boolean client, int seconds) {
        int self = client ? 2 : 1;
        int peer = client ? 1 : 2;
        List<LinkSpec> specs = new ArrayList<>();
        for (int link = 1; link <= layout.links(); link++) {
            specs.add(new LinkSpec(layout.device(link), layout.address(self, link), layout.address(peer, link)));
        }
        Options options = Options.defaults().with(OptionSpec.NUM_FLOWS, 2).with(OptionSpec.NUM_THREADS, 2)
                .with(OptionSpec.TEST_LENGTH, seconds).with(OptionSpec.CONTROL_PORT, CONTROL_PORT)
                .with(OptionSpec.PORT, DATA_PORT).with(OptionSpec.SUICIDE_LENGTH, seconds + 60)
                .with(OptionSpec.LOGTOSTDERR, true).with(OptionSpec.CLIENT, client);
        return new LinkSetCommand(specs, options, TERMINATION_PATH).toArgs();
    }

    private static int awaitExit(PodProcess process, String what) throws Exception {
        assertTrue(process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS), what + " did not end: " + process.stderr());
        return process.exitCode();
    }

    private static NodeSummary summary(PodProcess process) throws IOException {
        return ReportJson.fromJson(process.terminationMessage(false), NodeSummary.class);
    }

    /** Waits until the server listens on every link: its last link's control port accepts, as the pod's probe sees it. */
    private static void awaitServer(PodProcess server) throws Exception {
        try (NamespacePortProbe probe = new NamespacePortProbe(layout.namespace(1))) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!probe.accepts(layout.address(1, layout.links()), CONTROL_PORT + layout.links() - 1)) {
                assertTrue(server.isAlive(), "the server exited: " + server.stderr());
                assertTrue(System.nanoTime() < end, "the server never listened: " + server.stderr());
                Thread.sleep(200);
            }
        }
    }

    private static void assertEveryLinkMeasured(NodeSummary summary, String stdout) {
        assertTrue(summary.succeeded(), String.valueOf(summary));
        assertEquals(List.of("eth1", "eth2"), summary.links().stream().map(LinkSummary::device).toList());
        for (LinkSummary link : summary.links()) {
            assertTrue(link.succeeded(), String.valueOf(link));
            assertNotNull(link.throughputGbps(), String.valueOf(link));
            assertTrue(link.throughputGbps() > 0 && link.bytesReceived() > 0, String.valueOf(link));
            assertTrue(stdout.contains("[" + link.device() + "] Throughput (Mbit/s): "), stdout);
        }
    }

    /** A 3 s run over both links, server on node 1 and client on node 2, one side in the image and the other on the host. */
    private static void runsOverBothLinksAndReports(boolean serverInImage, String name) throws Exception {
        PodProcess server = run(serverInImage, 1, name + "-server", links(false, 3));
        awaitServer(server);
        PodProcess client = run(!serverInImage, 2, name + "-client", links(true, 3));
        assertEquals(0, awaitExit(client, "the client"), client.stderr());
        assertEquals(0, awaitExit(server, "the server"), server.stderr());
        assertEveryLinkMeasured(summary(server), server.stdout());
        NodeSummary sent = summary(client);
        assertTrue(sent.succeeded() && sent.links().stream().allMatch(l -> l.bytesSent() > 0), String.valueOf(sent));
    }

    @Test
    void theImageServesAHostRunnerOverBothLinksAndReports() throws Exception {
        runsOverBothLinksAndReports(true, "serve-image");
    }

    @Test
    void aHostRunnerServesTheImageOverBothLinksAndReports() throws Exception {
        runsOverBothLinksAndReports(false, "serve-host");
    }

    private static DoctorReport doctor(boolean inImage, String name) throws Exception {
        PodProcess doctor = run(inImage, 1, name, List.of("doctor", "--mode", "cuda", "--link", "eth1", "--link", "eth2",
                "--json"));
        // veth has no devmem queues: the doctor finds that and exits 1
        assertEquals(1, awaitExit(doctor, name), doctor.stderr());
        return ReportJson.fromJson(doctor.stdout(), DoctorReport.class);
    }

    private static Map<String, Check> byName(DoctorReport report) {
        return report.checks().stream().collect(Collectors.toMap(c -> c.scope() + "/" + c.name(), c -> c));
    }

    @Test
    void doctorJsonFromTheImageFindsTheMountedDriverAndJudgesTheNodeAsOnTheHost() throws Exception {
        Map<String, Check> image = byName(doctor(true, "doctor-image"));
        Map<String, Check> host = byName(doctor(false, "doctor-host"));
        Check libcuda = image.get("host/libcuda");
        assertEquals(Check.Status.PASS, libcuda.status(), String.valueOf(libcuda));
        assertTrue(libcuda.detail().startsWith("loaded " + NVIDIA_MOUNT + "/libcuda.so.1"), libcuda.detail());
        assertEquals(new Check("cuda-init", "host", Check.Status.PASS, "driver API 13.0, 2 GPU(s)"), image.get("host/cuda-init"));
        assertEquals(Check.Status.PASS, image.get("gpu 0000:04:00.0/gpu-dmabuf").status());
        assertEquals(Check.Status.PASS, image.get("host/cap-net-admin").status(), "privileged: CAP_NET_ADMIN");
        assertEquals(Check.Status.PASS, image.get("eth2/link").status(), "the node's links, seen from the image");
        assertEquals("eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)",
                image.get("eth1/devmem-rx").detail());
        // every check as the host runner made it, but for where libcuda was found
        assertEquals(host.keySet(), image.keySet());
        for (String check : host.keySet()) {
            if (!check.equals("host/libcuda")) {
                assertEquals(host.get(check), image.get(check), check);
            }
        }
        assertTrue(host.get("host/libcuda").detail().startsWith("loaded " + cuda.library), host.get("host/libcuda").detail());
    }

    /** The node's links as iproute2 shows them (state, flags, MTU, queues, offload-relevant settings), without counters. */
    private static String linkSettings() throws Exception {
        StringBuilder settings = new StringBuilder();
        for (int link = 1; link <= layout.links(); link++) {
            Process p = new ProcessBuilder("ip", "-n", layout.namespace(1), "-d", "link", "show", layout.device(link))
                    .redirectErrorStream(true).start();
            settings.append(new String(p.getInputStream().readAllBytes()));
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
        return settings.toString();
    }

    /** A server on node 1 stopped by SIGTERM mid-run (a host client sending to it): its exit code and summary. */
    private static NodeSummary terminatedMidRun(boolean inImage, String name, List<Integer> exitCodes) throws Exception {
        PodProcess server = run(inImage, 1, name + "-server", links(false, 60));
        awaitServer(server);
        PodProcess client = run(false, 2, name + "-client", links(true, 60));
        Thread.sleep(3000);
        assertTrue(server.isAlive() && client.isAlive(), "both still run: " + server.stderr() + client.stderr());
        server.stop(20);
        exitCodes.add(awaitExit(server, name + " server"));
        client.stop(20);
        awaitExit(client, name + " client");
        return summary(server);
    }

    /** Each link's error, the client's port (which differs from run to run) left out. */
    private static List<String> errors(NodeSummary summary) {
        return summary.links().stream().map(l -> l.device() + " " + l.errorKind() + " "
                + l.error().replaceAll(":\\d+\\)", ":PORT)")).toList();
    }

    @Test
    void sigtermToTheContainerUnwindsAndReportsAsOnTheHost() throws Exception {
        String before = linkSettings();
        List<Integer> exitCodes = new ArrayList<>();
        NodeSummary image = terminatedMidRun(true, "term-image", exitCodes);
        NodeSummary host = terminatedMidRun(false, "term-host", exitCodes);
        assertEquals(List.of(1, 1), exitCodes, "a stopped run fails, in the image as on the host");
        for (NodeSummary summary : List.of(image, host)) {
            assertFalse(summary.succeeded(), String.valueOf(summary));
            for (LinkSummary link : summary.links()) {
                assertEquals(ErrorKind.TERMINATED, link.errorKind(), String.valueOf(link));
                assertTrue(link.error().startsWith("stopped by SIGTERM before the run finished"), String.valueOf(link));
                assertTrue(link.bytesReceived() > 0, "it had been receiving: " + link);
            }
        }
        assertEquals(errors(host), errors(image));
        assertEquals(before, linkSettings(), "the node's links as they were found");
    }
}
