package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.Mode;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PodSettings;
import dev.neper.fleet.operator.api.RunnerSettings;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape every runner pod shares. Why each privilege (docs/operator.md has the long form):
 * <ul>
 *   <li>hostNetwork: the runner must use the node's own NICs and addresses.</li>
 *   <li>host mode: nothing else; every capability dropped. Plain TCP on ports above 1024 needs none.</li>
 *   <li>udmabuf and cuda modes: privileged. The runner opens /dev/udmabuf and the GPUs by PCI address
 *       (the GPU nearest each NIC, not the ones a device plugin would pick), and only privileged
 *       containers get device-cgroup access to host device nodes; it also configures the NIC
 *       (header split, flow steering, RSS, devmem binding: CAP_NET_ADMIN) and pins memory
 *       (CAP_IPC_LOCK). No capability set grants device access, so privileged is the smallest that works.</li>
 * </ul>
 */
public final class RunnerPodTemplate {
    public static final String CONTAINER = "runner";
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String CUDA_LIB_DIR_ENV = "CUDA_LIB_DIR";
    /** Where the host's NVIDIA libraries appear in the container. */
    public static final String NVIDIA_MOUNT = "/usr/local/nvidia/lib64";
    /** The node's directory of NIC records, so a killed runner's changes are undone by the node's next run. */
    static final String NIC_RECORDS = "nic-records";
    /** Kubelet backstop past the finish deadline, for when the operator is not there to stop a pod. */
    public static final long ACTIVE_DEADLINE_SLACK_SECONDS = 60;
    private static final long TERMINATION_GRACE_SECONDS = 15;

    private RunnerPodTemplate() {
    }

    public static String podName(NeperTest test, int pairIndex, Role role) {
        return test.getMetadata().getName() + "-" + role.label() + "-" + pairIndex;
    }

    /** A runner pod for one side of a pair, without role-specific additions. */
    public static PodBuilder builder(NeperTest test, int pairIndex, Role role, String defaultImage) {
        NeperTestSpec spec = test.getSpec();
        Pair pair = spec.pairList().get(pairIndex);
        List<Link> links = pair.linkList();
        String node = role == Role.SERVER ? pair.server().node() : pair.client().node();
        TestTiming timing = TestTiming.of(spec);
        ContainerBuilder container = container(spec, defaultImage,
                RunnerCommand.of(spec, links, role, RunnerCommand.suicideSeconds(timing, role)).toArgs(),
                RunnerCommand.TERMINATION_MESSAGE_PATH, gpuRequest(spec, links.size()));
        return hostNetworkPod(test, podName(test, pairIndex, role), labels(test, pairIndex, role), node, spec,
                container.build(), timing.finishDeadline().toSeconds() + ACTIVE_DEADLINE_SLACK_SECONDS);
    }

    /**
     * The runner container for the spec's mode: its image, {@code args} after the runner's entrypoint, the
     * termination message at {@code terminationMessagePath}, the mode's privileges, mounts and environment,
     * and {@code gpus} nvidia.com/gpu when more than 0.
     */
    public static ContainerBuilder container(NeperTestSpec spec, String defaultImage, List<String> args,
                                             String terminationMessagePath, int gpus) {
        RunnerSettings runner = spec.runnerOrDefault();
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(runner.image() != null ? runner.image() : defaultImage)
                .withImagePullPolicy(runner.imagePullPolicy() == null ? null : runner.imagePullPolicy().name())
                .withCommand(RunnerCommand.PROGRAM)
                .withArgs(args)
                .withTerminationMessagePath(terminationMessagePath)
                // a runner that dies before writing its summary still leaves its last log lines
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withSecurityContext(securityContext(spec.mode()))
                .withVolumeMounts(volumeMounts(spec.mode()))
                .withEnv(env(spec.mode()));
        if (gpus > 0) {
            Map<String, Quantity> gpu = Map.of(GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
            container.withResources(new ResourceRequirementsBuilder().withRequests(gpu).withLimits(gpu).build());
        }
        return container;
    }

    /**
     * A pod pinned to {@code node} on its host network, owned (as controller) by {@code owner}, running
     * {@code container} once, with the spec's pod settings and volumes, ended by the kubelet after
     * {@code activeDeadlineSeconds} if nobody stops it first.
     */
    public static PodBuilder hostNetworkPod(HasMetadata owner, String name, Map<String, String> labels, String node,
                                            NeperTestSpec spec, Container container, long activeDeadlineSeconds) {
        PodSettings podSettings = spec.podsOrDefault();
        return new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(owner.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(owner.getApiVersion())
                            .withKind(owner.getKind())
                            .withName(owner.getMetadata().getName())
                            .withUid(owner.getMetadata().getUid())
                            .withController(true)
                            .withBlockOwnerDeletion(true)
                            .build())
                .endMetadata()
                .withNewSpec()
                    .withNodeName(node)
                    .withHostNetwork(true)
                    .withDnsPolicy("ClusterFirstWithHostNet")
                    .withRestartPolicy("Never")
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withPriorityClassName(podSettings.priorityClassName())
                    .withTolerations(podSettings.tolerationList())
                    .withActiveDeadlineSeconds(activeDeadlineSeconds)
                    .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                    .withVolumes(volumes(spec))
                    .withContainers(container)
                .endSpec();
    }

    public static Map<String, String> labels(NeperTest test, int pairIndex, Role role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAME, Labels.NAME_VALUE);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.TEST, test.getMetadata().getName());
        labels.put(Labels.ROLE, role.label());
        labels.put(Labels.PAIR, Integer.toString(pairIndex));
        labels.put(Labels.GENERATION, Long.toString(test.getMetadata().getGeneration()));
        return labels;
    }

    /** nvidia.com/gpu to request: cuda mode only; by default one per link, so no other workload holds the GPUs. */
    static int gpuRequest(NeperTestSpec spec, int linkCount) {
        if (spec.mode() != Mode.CUDA) {
            return 0;
        }
        Integer configured = spec.runnerOrDefault().gpusPerNode();
        return configured != null ? configured : linkCount;
    }

    private static SecurityContext securityContext(Mode mode) {
        if (mode.isDevmem()) {
            return new SecurityContextBuilder().withPrivileged(true).build();
        }
        return new SecurityContextBuilder()
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    private static List<Volume> volumes(NeperTestSpec spec) {
        List<Volume> volumes = new ArrayList<>();
        if (spec.mode().isDevmem()) {
            volumes.add(hostPath("dev", "/dev", "Directory"));
            volumes.add(hostPath("sys", "/sys", "Directory"));
            volumes.add(hostPath(NIC_RECORDS, LinkSetCommand.NIC_RECORD_DIRECTORY, "DirectoryOrCreate"));
        }
        if (spec.mode() == Mode.CUDA) {
            volumes.add(hostPath("nvidia-libraries", spec.runnerOrDefault().nvidiaLibrariesOrDefault(), "Directory"));
        }
        return volumes;
    }

    private static List<VolumeMount> volumeMounts(Mode mode) {
        List<VolumeMount> mounts = new ArrayList<>();
        if (mode.isDevmem()) {
            mounts.add(new VolumeMountBuilder().withName("dev").withMountPath("/dev").build());
            mounts.add(new VolumeMountBuilder().withName("sys").withMountPath("/sys").withReadOnly(true).build());
            mounts.add(new VolumeMountBuilder().withName(NIC_RECORDS).withMountPath(LinkSetCommand.NIC_RECORD_DIRECTORY)
                    .build());
        }
        if (mode == Mode.CUDA) {
            mounts.add(new VolumeMountBuilder().withName("nvidia-libraries").withMountPath(NVIDIA_MOUNT)
                    .withReadOnly(true).build());
        }
        return mounts;
    }

    private static List<EnvVar> env(Mode mode) {
        return mode == Mode.CUDA ? List.of(new EnvVar(CUDA_LIB_DIR_ENV, NVIDIA_MOUNT, null)) : List.of();
    }

    private static Volume hostPath(String name, String path, String type) {
        return new VolumeBuilder().withName(name).withNewHostPath().withPath(path).withType(type).endHostPath().build();
    }
}
