package dev.neper.fleet.local.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neper.fleet.local.container.Podman;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A pod's container as a kubelet would run it, in podman: its image (never pulled: there is no
 * registry), command as the entrypoint and args after the image, env values, hostPath and emptyDir
 * volumes, the security context (privileged, capabilities, no privilege escalation, read-only root,
 * user), hostNetwork as the node's network namespace, and the termination-message path bind-mounted
 * from a file of the pod's own, which the agent reads when the container ends. What a kubelet would do
 * but the agent cannot (a pod network, valueFrom env, other volume types) is refused by name.
 */
record PodmanCommand(List<String> args, String container, String image, Path terminationMessage,
                     List<Path> directories) {
    /**
     * The container's own sysfs stands for a hostPath /sys: runc mounts it inside the node's network
     * namespace, so it shows the node's interfaces, where the machine's /sys would show the root namespace's.
     */
    static final String SYSFS = "/sys";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The arguments of {@code podman run}; {@code directories} are the emptyDir and DirectoryOrCreate volumes to create first. */
    static PodmanCommand of(Pod pod, String fleetId, String namespace, Path podDirectory) {
        Container container = pod.getSpec().getContainers().getFirst();
        String podName = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        if (!Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            throw new IllegalArgumentException("the local agent runs hostNetwork pods only (a local node has no pod"
                    + " network); " + podName + " is not one");
        }
        String name = "nf" + fleetId + "-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName();
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", name, "--label", Podman.FLEET_LABEL + "=" + fleetId,
                "--pull=never", "--network=ns:/run/netns/" + namespace));
        args.addAll(Podman.ULIMITS);
        args.addAll(security(container.getSecurityContext(), pod.getSpec().getSecurityContext()));
        Path termination = podDirectory.resolve("termination-log");
        args.add("--volume=" + termination + ":" + LocalCommand.terminationPath(container));
        List<Path> directories = new ArrayList<>();
        args.addAll(volumes(pod, container, podDirectory.resolve("volumes"), directories));
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                if (var.getValueFrom() != null) {
                    throw new IllegalArgumentException("the local agent cannot resolve valueFrom (env " + var.getName() + ")");
                }
                args.add("--env=" + var.getName() + "=" + (var.getValue() == null ? "" : var.getValue()));
            }
        }
        if (container.getWorkingDir() != null) {
            args.add("--workdir=" + container.getWorkingDir());
        }
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            args.add("--entrypoint=" + json(container.getCommand()));
        }
        args.add(container.getImage());
        if (container.getArgs() != null) {
            args.addAll(container.getArgs());
        }
        return new PodmanCommand(List.copyOf(args), name, container.getImage(), termination, List.copyOf(directories));
    }

    private static List<String> security(SecurityContext container, PodSecurityContext pod) {
        List<String> args = new ArrayList<>();
        SecurityContext c = container == null ? new SecurityContext() : container;
        if (Boolean.TRUE.equals(c.getPrivileged())) {
            args.add("--privileged");
        }
        Capabilities capabilities = c.getCapabilities();
        if (capabilities != null) {
            if (capabilities.getDrop() != null) {
                capabilities.getDrop().forEach(cap -> args.add("--cap-drop=" + cap.toLowerCase(java.util.Locale.ROOT)));
            }
            if (capabilities.getAdd() != null) {
                capabilities.getAdd().forEach(cap -> args.add("--cap-add=" + cap.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        if (Boolean.FALSE.equals(c.getAllowPrivilegeEscalation())) {
            args.add("--security-opt=no-new-privileges");
        }
        if (Boolean.TRUE.equals(c.getReadOnlyRootFilesystem())) {
            args.add("--read-only");
        }
        Long user = c.getRunAsUser() != null ? c.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        Long group = c.getRunAsGroup() != null ? c.getRunAsGroup() : pod == null ? null : pod.getRunAsGroup();
        if (user != null) {
            args.add("--user=" + user + (group != null ? ":" + group : ""));
        }
        return args;
    }

    private static List<String> volumes(Pod pod, Container container, Path emptyDirs, List<Path> directories) {
        List<String> args = new ArrayList<>();
        if (container.getVolumeMounts() == null) {
            return args;
        }
        Map<String, Volume> volumes = pod.getSpec().getVolumes() == null ? Map.of()
                : pod.getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            if (volume == null) {
                throw new IllegalArgumentException("volume mount " + mount.getName() + " names no volume of the pod");
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                throw new IllegalArgumentException("the local agent does not mount subPath (volume " + mount.getName() + ")");
            }
            String options = Boolean.TRUE.equals(mount.getReadOnly()) ? ":ro" : "";
            if (volume.getHostPath() != null) {
                Path path = Path.of(volume.getHostPath().getPath());
                if ("Directory".equals(volume.getHostPath().getType()) && !Files.isDirectory(path)) {
                    throw new IllegalArgumentException("MountVolume.SetUp failed for volume \"" + mount.getName()
                            + "\": hostPath type check failed: " + path + " is not a directory");
                }
                if ("DirectoryOrCreate".equals(volume.getHostPath().getType())) {
                    directories.add(path);
                }
                if (!(path.toString().equals(SYSFS) && mount.getMountPath().equals(SYSFS))) {
                    args.add("--volume=" + path + ":" + mount.getMountPath() + options);
                }
            } else if (volume.getEmptyDir() != null) {
                if ("Memory".equals(volume.getEmptyDir().getMedium())) {
                    args.add("--tmpfs=" + mount.getMountPath());
                } else {
                    Path directory = emptyDirs.resolve(mount.getName());
                    directories.add(directory);
                    args.add("--volume=" + directory + ":" + mount.getMountPath() + options);
                }
            } else {
                throw new IllegalArgumentException("the local agent mounts hostPath and emptyDir volumes only, not volume "
                        + mount.getName());
            }
        }
        return args;
    }

    private static String json(List<String> command) {
        try {
            return JSON.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
