package dev.neper.fleet.local.container;

import dev.neper.fleet.local.command.HostCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Podman as this kind of machine runs it (../shared/reference/containers.md): as root, with runc
 * (crun refuses the hybrid cgroup layout) and rlimits root can set without CAP_SYS_RESOURCE (podman's
 * defaults cannot be raised here). Every container this project starts goes through {@link #command}.
 */
public final class Podman {
    /** What to install when podman is missing. */
    public static final String PACKAGES = "the Debian packages podman and runc (bin/test installs them)";
    /** Per container; the host has nofile 20000, nproc 96365. */
    public static final List<String> ULIMITS = List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");
    /** Every container a local fleet starts carries this label with the fleet's id, so the fleet removes what it started. */
    public static final String FLEET_LABEL = "neper.dev/local-fleet";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<Path> RUNC = List.of(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/runc"));

    private Podman() {
    }

    /** Podman, or an IllegalStateException naming the Debian packages to install. */
    public static Podman require() {
        if (RUNC.stream().noneMatch(Files::isExecutable)) {
            throw new IllegalStateException("runc is not installed: podman needs it here; install " + PACKAGES);
        }
        HostCommand.run(TIMEOUT, "podman is not installed: install " + PACKAGES, List.of("podman", "--version"));
        return new Podman();
    }

    /** The command line of a podman subcommand. */
    public List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        command.addAll(args);
        return command;
    }

    /** Runs a podman subcommand to its end; its output, or an IllegalStateException quoting it. */
    public String run(String... args) {
        return HostCommand.run(TIMEOUT, "install " + PACKAGES, command(List.of(args)));
    }

    public boolean imageExists(String image) {
        try {
            run("image", "exists", image);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The host pid of a running container's first process, or -1 when it does not run (yet). */
    public long mainPid(String container) {
        try {
            long pid = Long.parseLong(run("inspect", "--format", "{{.State.Pid}}", container));
            return pid > 0 ? pid : -1;
        } catch (IllegalStateException | NumberFormatException e) {
            return -1;
        }
    }

    /** SIGTERM to the container, SIGKILL after the grace period: what the kubelet does to a deleted pod. */
    public void stop(String container, long graceSeconds) {
        try {
            run("stop", "--ignore", "--time", Long.toString(graceSeconds), container);
        } catch (IllegalStateException e) {
            // already gone
        }
    }

    /** Removes every container (running or not) labelled {@code label=value}. */
    public void removeLabelled(String label, String value) {
        String ids = run("ps", "--all", "--quiet", "--filter", "label=" + label + "=" + value);
        if (!ids.isBlank()) {
            List<String> args = new ArrayList<>(List.of("rm", "--force", "--ignore", "--time", "0"));
            args.addAll(List.of(ids.split("\\s+")));
            run(args.toArray(String[]::new));
        }
    }

    /** The names of the containers labelled {@code label=value}, running or not. */
    public List<String> containersLabelled(String label, String value) {
        String names = run("ps", "--all", "--format", "{{.Names}}", "--filter", "label=" + label + "=" + value);
        return names.isBlank() ? List.of() : List.of(names.split("\\s+"));
    }
}
