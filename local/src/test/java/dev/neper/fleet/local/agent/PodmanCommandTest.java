package dev.neper.fleet.local.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A runner pod as the operator writes it, turned into {@code podman run} the way a kubelet would run it. */
@Tag("unit")
class PodmanCommandTest {
    @TempDir
    Path work;

    private PodBuilder cudaRunnerPod(Path nvidia) {
        return new PodBuilder()
                .withNewMetadata().withName("a3-pair-7-server-0").withNamespace("neper-fleet").endMetadata()
                .withNewSpec().withNodeName("local-node-1").withHostNetwork(true).withRestartPolicy("Never")
                .addNewVolume().withName("dev").withNewHostPath().withPath("/dev").withType("Directory").endHostPath().endVolume()
                .addNewVolume().withName("sys").withNewHostPath().withPath("/sys").withType("Directory").endHostPath().endVolume()
                .addNewVolume().withName("nvidia-libraries").withNewHostPath().withPath(nvidia.toString())
                .withType("Directory").endHostPath().endVolume()
                .addNewVolume().withName("nic-records").withNewHostPath().withPath(nvidia.resolveSibling("node-run").toString())
                .withType("DirectoryOrCreate").endHostPath().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewContainer().withName("runner").withImage("ghcr.io/neper-fleet/neper-runner:0.1.0")
                .withCommand("neper-runner").withArgs("links", "--link=eth1,198.18.1.1,198.18.1.2", "-C", "12866")
                .withTerminationMessagePath("/tmp/neper-termination-log")
                .withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .addNewVolumeMount().withName("dev").withMountPath("/dev").endVolumeMount()
                .addNewVolumeMount().withName("sys").withMountPath("/sys").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("nvidia-libraries").withMountPath("/usr/local/nvidia/lib64")
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("nic-records").withMountPath("/run/neper-runner").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .addNewEnv().withName("CUDA_LIB_DIR").withValue("/usr/local/nvidia/lib64").endEnv()
                .endContainer().endSpec();
    }

    @Test
    void aCudaRunnerPodRunsPrivilegedInTheNodesNamespaceWithItsMountsEnvAndTerminationFile() {
        Path nvidia = work.resolve("nvidia").toAbsolutePath();
        nvidia.toFile().mkdirs();
        Path pod = work.resolve("pod");
        PodmanCommand command = PodmanCommand.of(cudaRunnerPod(nvidia).build(), "ab12", "nfab12-n1", pod);
        assertEquals(List.of("run", "--rm", "--name", "nfab12-neper-fleet-a3-pair-7-server-0",
                "--label", "neper.dev/local-fleet=ab12", "--pull=never", "--network=ns:/run/netns/nfab12-n1",
                "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
                "--privileged",
                "--volume=" + pod.resolve("termination-log") + ":/tmp/neper-termination-log",
                "--volume=/dev:/dev",
                // no /sys: the container's own sysfs, mounted in the node's namespace, is the node's
                "--volume=" + nvidia + ":/usr/local/nvidia/lib64:ro",
                "--volume=" + work.resolve("node-run").toAbsolutePath() + ":/run/neper-runner",
                "--volume=" + pod.resolve("volumes/scratch") + ":/scratch",
                "--env=CUDA_LIB_DIR=/usr/local/nvidia/lib64",
                "--entrypoint=[\"neper-runner\"]",
                "ghcr.io/neper-fleet/neper-runner:0.1.0",
                "links", "--link=eth1,198.18.1.1,198.18.1.2", "-C", "12866"), command.args());
        assertEquals(pod.resolve("termination-log"), command.terminationMessage());
        // a DirectoryOrCreate hostPath is made on the node, as the kubelet makes it
        assertEquals(List.of(work.resolve("node-run").toAbsolutePath(), pod.resolve("volumes/scratch")),
                command.directories());
    }

    @Test
    void aHostModePodDropsEveryCapabilityAndCannotEscalate() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewSpec().withHostNetwork(true).withNewSecurityContext().withRunAsUser(185L).endSecurityContext()
                .addNewContainer().withName("runner").withImage("img").withArgs("--help")
                .withNewSecurityContext().withPrivileged(false).withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext().endContainer().endSpec().build();
        List<String> args = PodmanCommand.of(pod, "ab12", "nfab12-n2", work).args();
        assertTrue(args.containsAll(List.of("--cap-drop=all", "--security-opt=no-new-privileges", "--read-only",
                "--user=185", "--volume=" + work.resolve("termination-log") + ":/dev/termination-log")), args.toString());
        assertTrue(!args.contains("--privileged") && args.stream().noneMatch(a -> a.startsWith("--entrypoint")),
                "no command: the image's entrypoint; " + args);
        assertEquals(List.of("img", "--help"), args.subList(args.size() - 2, args.size()));
    }

    @Test
    void whatTheAgentCannotDoIsRefusedByName() {
        Pod podNetwork = cudaRunnerPod(work).editSpec().withHostNetwork(false).endSpec().build();
        assertEquals("the local agent runs hostNetwork pods only (a local node has no pod network); "
                + "neper-fleet/a3-pair-7-server-0 is not one", assertThrows(IllegalArgumentException.class,
                () -> PodmanCommand.of(podNetwork, "ab12", "ns", work)).getMessage());

        Pod missingLibraries = cudaRunnerPod(work.resolve("absent")).build();
        assertEquals("MountVolume.SetUp failed for volume \"nvidia-libraries\": hostPath type check failed: "
                + work.resolve("absent") + " is not a directory", assertThrows(IllegalArgumentException.class,
                () -> PodmanCommand.of(missingLibraries, "ab12", "ns", work)).getMessage());

        Pod fieldRef = cudaRunnerPod(work).editSpec().editFirstContainer().addNewEnv().withName("NODE")
                .withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom()
                .endEnv().endContainer().endSpec().build();
        assertEquals("the local agent cannot resolve valueFrom (env NODE)", assertThrows(IllegalArgumentException.class,
                () -> PodmanCommand.of(fieldRef, "ab12", "ns", work)).getMessage());
    }
}
