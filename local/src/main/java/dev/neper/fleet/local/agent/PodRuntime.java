package dev.neper.fleet.local.agent;

import dev.neper.fleet.local.container.Podman;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the node agent runs a pod's container: as a bare process of this checkout's runner inside the
 * node's network namespace (the default: fast, nothing to build), or in podman from the pod's image,
 * so the pod spec the operator writes is run the way a kubelet runs it.
 */
public sealed interface PodRuntime extends AutoCloseable {
    /** Starts the pod's (first) container on the node whose network namespace is {@code namespace}. */
    PodProcess start(Pod pod, String namespace, Path directory) throws IOException;

    /** Stops and removes whatever the runtime still holds; pods already stopped are not touched. */
    @Override
    default void close() {
    }

    static PodRuntime processes(Path runnerLauncher) {
        return new Processes(runnerLauncher);
    }

    static PodRuntime podman(Podman podman, String fleetId) {
        return new Containers(podman, fleetId);
    }

    /** The runner image's entrypoint becomes this checkout's bin/neper-runner ({@link LocalCommand}). */
    record Processes(Path runnerLauncher) implements PodRuntime {
        @Override
        public PodProcess start(Pod pod, String namespace, Path directory) throws IOException {
            LocalCommand command = LocalCommand.of(pod.getSpec().getContainers().getFirst(), runnerLauncher, directory);
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            argv.addAll(command.argv());
            return PodProcess.start(argv, command.environment(), command.terminationMessage(), directory,
                    PodProcess.DIRECT);
        }
    }

    /** Each pod a podman container ({@link PodmanCommand}), labelled with the fleet's id. */
    record Containers(Podman podman, String fleetId) implements PodRuntime {
        @Override
        public PodProcess start(Pod pod, String namespace, Path directory) throws IOException {
            PodmanCommand command = PodmanCommand.of(pod, fleetId, namespace, directory);
            if (!podman.imageExists(command.image())) {
                throw new ImageNotPresentException(command.image());
            }
            for (Path volume : command.directories()) {
                Files.createDirectories(volume);
            }
            return PodProcess.start(podman.command(command.args()), Map.of(), command.terminationMessage(), directory,
                    new PodProcess.Control() {
                        @Override
                        public long pid(Process client) {
                            return podman.mainPid(command.container());
                        }

                        @Override
                        public void stop(Process client, long graceSeconds) throws InterruptedException {
                            podman.stop(command.container(), graceSeconds);
                            if (!client.waitFor(10, TimeUnit.SECONDS)) {
                                client.destroyForcibly();
                            }
                        }
                    });
        }

        @Override
        public void close() {
            podman.removeLabelled(Podman.FLEET_LABEL, fleetId);
        }
    }

    /** The pod's image is not in podman's storage, and the agent never pulls (there is no registry). */
    final class ImageNotPresentException extends IOException {
        ImageNotPresentException(String image) {
            super("Container image \"" + image + "\" is not present with pull policy of Never (the local agent never"
                    + " pulls; bin/build-images builds the project's images)");
        }
    }
}
