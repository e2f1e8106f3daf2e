package dev.neper.fleet.local.operator;

import dev.neper.fleet.local.container.Podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How the local fleet starts the operator: its Quarkus application jar in a JVM, or its image in podman. */
public sealed interface OperatorLaunch {
    /**
     * The command that runs the operator replica {@code identity} with the given environment variables
     * (the command's own environment holds their values).
     */
    List<String> command(String identity, Set<String> environment) throws IOException;

    /** SIGKILL to the replica {@code identity}, whose command runs as {@code process}. */
    default void kill(String identity, Process process) {
        process.destroyForcibly();
    }

    /** Removes what the replica {@code identity} left once its process has ended or been killed. */
    default void cleanUp(String identity) {
    }

    static OperatorLaunch jar(Path applicationJar) {
        return new Jar(applicationJar);
    }

    /**
     * Each replica's container carries the fleet's label and is named after the replica's identity, as
     * a replica's pod in a cluster is (the identity names the fleet).
     */
    static OperatorLaunch image(Podman podman, String image, String fleetId) {
        return new Image(podman, image, fleetId);
    }

    record Jar(Path applicationJar) implements OperatorLaunch {
        @Override
        public List<String> command(String identity, Set<String> environment) throws IOException {
            if (!Files.isRegularFile(applicationJar)) {
                throw new IOException("no operator at " + applicationJar + "; build it with ./mvnw -DskipTests package");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            return List.of(java, "-Xmx256m", "-jar", applicationJar.toString());
        }
    }

    /**
     * As deploy/deployment.yaml runs it: its own user (the image's, 185), a read-only root with /tmp
     * writable, every capability dropped, no privilege escalation. The host network stands for the
     * cluster network: the API server it is given listens on the machine's loopback, and is given by
     * URL (a kubeconfig file of the host is not mounted).
     */
    record Image(Podman podman, String image, String fleetId) implements OperatorLaunch {
        @Override
        public List<String> command(String identity, Set<String> environment) {
            if (environment.contains("KUBECONFIG")) {
                throw new IllegalArgumentException("the operator image runs against an API server URL, not a KUBECONFIG");
            }
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", identity,
                    "--label", Podman.FLEET_LABEL + "=" + fleetId, "--pull=never",
                    "--network=host", "--read-only", "--tmpfs=/tmp", "--cap-drop=all",
                    "--security-opt=no-new-privileges"));
            args.addAll(Podman.ULIMITS);
            // the value of each comes from podman's own environment
            environment.stream().sorted().forEach(name -> args.add("--env=" + name));
            args.add(image);
            return podman.command(args);
        }

        /** To the container: the podman client, killed, would leave it running. */
        @Override
        public void kill(String identity, Process process) {
            try {
                podman.run("kill", "--signal", "KILL", identity);
            } catch (IllegalStateException e) {
                // not running (any more): the client ends by itself
            }
        }

        @Override
        public void cleanUp(String identity) {
            podman.run("rm", "--force", "--ignore", "--time", "0", identity);
        }
    }
}
