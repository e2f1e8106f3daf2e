package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.PodSettings;
import dev.neper.fleet.operator.api.RunnerSettings;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.runner.contract.OptionChecks;
import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ParsedCommand;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner pods' shape per mode, and command lines the runner itself parses back to the spec. */
@Tag("unit")
class RunnerPodTest {
    private static final String IMAGE = "registry.test/neper-runner:1";

    @Test
    void hostModePodsHaveNoPrivilegeNoMountAndNoGpu() {
        Pod pod = ServerPod.desired(test(SpecBuilder.spec().pair("a", "b", 2)), 0, IMAGE);
        Container runner = pod.getSpec().getContainers().getFirst();
        assertFalse(runner.getSecurityContext().getPrivileged());
        assertFalse(runner.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), runner.getSecurityContext().getCapabilities().getDrop());
        assertTrue(runner.getVolumeMounts().isEmpty());
        assertTrue(pod.getSpec().getVolumes().isEmpty());
        assertNull(runner.getResources());
        assertTrue(runner.getEnv().isEmpty());
        assertTrue(pod.getSpec().getHostNetwork());
        assertFalse(pod.getSpec().getAutomountServiceAccountToken(), "runners need no API access");
        assertEquals(IMAGE, runner.getImage());
        assertEquals(RunnerCommand.TERMINATION_MESSAGE_PATH, runner.getTerminationMessagePath());
        assertTrue(runner.getArgs().contains("--termination-summary=" + RunnerCommand.TERMINATION_MESSAGE_PATH));
        assertEquals("FallbackToLogsOnError", runner.getTerminationMessagePolicy());
    }

    @Test
    void cudaModePodsArePrivilegedWithDeviceSysfsAndDriverMountsAndOneGpuPerLink() {
        Toleration gpuTaint = new Toleration("NoExecute", "nvidia.com/gpu", "Exists", null, null);
        NeperTest test = test(SpecBuilder.spec().mode(Mode.CUDA).flows(2, 2).physLen(1L << 31).pair("a3-7", "a3-8", 4)
                .runner(new RunnerSettings("my.registry/runner:2", RunnerSettings.PullPolicy.Always, "/var/lib/nvidia/lib64", null))
                .pods(new PodSettings(List.of(gpuTaint), "neper-critical", null)));
        Pod pod = ClientPod.desired(test, 0, IMAGE);
        Container runner = pod.getSpec().getContainers().getFirst();

        assertEquals("a3-8", pod.getSpec().getNodeName());
        assertTrue(runner.getSecurityContext().getPrivileged());
        assertEquals(Map.of("nvidia.com/gpu", new Quantity("4")), runner.getResources().getLimits());
        assertEquals(Map.of("nvidia.com/gpu", new Quantity("4")), runner.getResources().getRequests());
        assertEquals(List.of("/dev", "/sys", "/run/neper-runner", RunnerPodTemplate.NVIDIA_MOUNT),
                runner.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList());
        assertEquals(List.of(false, true, false, true),
                runner.getVolumeMounts().stream().map(m -> Boolean.TRUE.equals(m.getReadOnly())).toList());
        assertEquals("/var/lib/nvidia/lib64", pod.getSpec().getVolumes().get(3).getHostPath().getPath());
        assertEquals(RunnerPodTemplate.NVIDIA_MOUNT, runner.getEnv().getFirst().getValue());
        assertEquals("CUDA_LIB_DIR", runner.getEnv().getFirst().getName());
        assertEquals("my.registry/runner:2", runner.getImage());
        assertEquals("Always", runner.getImagePullPolicy());
        assertEquals(List.of(gpuTaint), pod.getSpec().getTolerations());
        assertEquals("neper-critical", pod.getSpec().getPriorityClassName());
    }

    @Test
    void udmabufModeMountsDevicesButRequestsNoGpu() {
        Pod pod = ServerPod.desired(test(SpecBuilder.spec().mode(Mode.UDMABUF).pair("a", "b", 1)), 0, IMAGE);
        Container runner = pod.getSpec().getContainers().getFirst();
        assertTrue(runner.getSecurityContext().getPrivileged());
        assertEquals(List.of("/dev", "/sys", "/run/neper-runner"),
                runner.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList());
        // the node's own directory: a runner killed mid-run leaves its NIC record to the node's next run
        assertEquals(new HostPathVolumeSource("/run/neper-runner", "DirectoryOrCreate"),
                pod.getSpec().getVolumes().get(2).getHostPath());
        assertNull(runner.getResources());
    }

    @Test
    void commandLinesParseBackToTheSpecAndPassTheRunnersChecks() throws Exception {
        NeperTest test = test(SpecBuilder.spec().mode(Mode.CUDA).duration("30s").flows(2, 2).bufferSize(409600)
                .validate(true).physLen(2147483648L).pair("s", "c", 3));
        for (Role role : Role.values()) {
            Pod pod = RunnerPodTemplate.builder(test, 0, role, IMAGE).build();
            List<String> args = pod.getSpec().getContainers().getFirst().getArgs();
            assertEquals(LinkSetCommand.SUBCOMMAND, args.getFirst());
            List<LinkSpec> links = new ArrayList<>();
            List<String> options = new ArrayList<>();
            for (String arg : args.subList(1, args.size())) {
                if (arg.startsWith(LinkSetCommand.LINK_FLAG + "=")) {
                    links.add(LinkSpec.parse(arg.substring(LinkSetCommand.LINK_FLAG.length() + 1)));
                } else if (!arg.startsWith(LinkSetCommand.TERMINATION_SUMMARY_FLAG + "=")) {
                    options.add(arg);
                }
            }
            Options parsed = ((ParsedCommand.Run) OptionParser.parse(options)).options();
            assertEquals(RunnerCommand.options(test.getSpec(), 3, role, parsed.suicideLength()).withDerivedDirections(), parsed);
            assertEquals(RunnerCommand.linkSpecs(test.getSpec().pairs().getFirst().links(), role), links);
            assertEquals(role == Role.CLIENT, parsed.client());
            assertEquals(30, parsed.testLength());
            assertEquals(2, parsed.numPorts(), "devmem modes need a data port per flow");
            LinkSetCommand command = new LinkSetCommand(links, parsed, RunnerCommand.TERMINATION_MESSAGE_PATH);
            for (int i = 0; i < links.size(); i++) {
                OptionChecks.check(command.linkOptions(i));
            }
        }
        Pod server = ServerPod.desired(test, 0, IMAGE);
        assertEquals(12866 + 2, server.getSpec().getContainers().getFirst().getReadinessProbe().getTcpSocket().getPort().getIntVal());
    }

    private static NeperTest test(SpecBuilder spec) {
        NeperTest test = spec.named("shape");
        test.getMetadata().setNamespace("neper-fleet");
        test.getMetadata().setUid("6f1c7d1e-0000-4000-8000-000000000001");
        test.getMetadata().setGeneration(1L);
        return test;
    }
}
