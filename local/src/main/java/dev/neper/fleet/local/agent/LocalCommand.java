package dev.neper.fleet.local.agent;

import dev.neper.fleet.runner.engine.WarmUp;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the agent runs a pod's container without a container runtime: the runner image's entrypoint
 * (neper-runner) becomes this checkout's bin/neper-runner, the container's termination-message path
 * becomes a file of the pod's own (the kubelet bind-mounts one per container), and plain env values
 * are passed on, with the runner's warm-up off ({@link WarmUp}). The process runs inside the node's
 * network namespace, which is what hostNetwork means on a local node.
 */
record LocalCommand(List<String> argv, Map<String, String> environment, Path terminationMessage) {
    static final String RUNNER_ENTRYPOINT = "neper-runner";
    static final String DEFAULT_TERMINATION_PATH = "/dev/termination-log";

    /** Builds the command, or throws IllegalArgumentException naming what the agent cannot run. */
    static LocalCommand of(Container container, Path runnerLauncher, Path podDirectory) {
        List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
        if (!command.isEmpty() && !Path.of(command.getFirst()).getFileName().toString().equals(RUNNER_ENTRYPOINT)) {
            throw new IllegalArgumentException("the local agent runs only the runner image's " + RUNNER_ENTRYPOINT
                    + ", not " + command.getFirst());
        }
        String terminationPath = terminationPath(container);
        Path termination = podDirectory.resolve("termination-log");
        List<String> argv = new ArrayList<>();
        argv.add(runnerLauncher.toString());
        List<String> rest = new ArrayList<>(command.size() > 1 ? command.subList(1, command.size()) : List.of());
        if (container.getArgs() != null) {
            rest.addAll(container.getArgs());
        }
        for (String arg : rest) {
            argv.add(arg.replace(terminationPath, termination.toString()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                if (var.getValue() != null) {
                    env.put(var.getName(), var.getValue());
                }
            }
        }
        // Every local node's runner shares this machine's CPUs: one pair's warm-up would load another
        // pair's measured window, which on real nodes, each with its own CPUs, it never does.
        env.putIfAbsent(WarmUp.VARIABLE, WarmUp.OFF);
        return new LocalCommand(List.copyOf(argv), Map.copyOf(env), termination);
    }

    /** Where the container writes its termination message. */
    static String terminationPath(Container container) {
        return container.getTerminationMessagePath() == null ? DEFAULT_TERMINATION_PATH
                : container.getTerminationMessagePath();
    }
}
