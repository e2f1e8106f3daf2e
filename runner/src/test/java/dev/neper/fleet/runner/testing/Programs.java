package dev.neper.fleet.runner.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outside programs tests run, each with the Debian package that provides it. A test checks its
 * program here before it runs it, so a missing one fails with "needs PROGRAM (Debian package PKG)"
 * instead of an exec error. Every package named here is on a fresh machine
 * (../shared/reference/base-packages.txt) or installed by bin/test.
 */
public final class Programs {
    private static final Map<String, String> DEBIAN_PACKAGES = Map.of(
            "ip", "iproute2",
            "gcc", "gcc",
            "bash", "bash",
            "cat", "coreutils",
            "kubectl", "kubectl",
            "promtool", "prometheus",
            "prometheus", "prometheus",
            "chromium", "chromium",
            "sysctl", "procps");

    private Programs() {
    }

    /** Fails unless the program is on PATH; an absolute path (a JDK's java) only has to be executable. */
    public static void require(String program) {
        require(program, System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    }

    static void require(String program, String searchPath) {
        if (program.startsWith("/")) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new IllegalStateException("needs " + program + " (not an executable file)");
            }
            return;
        }
        String debianPackage = DEBIAN_PACKAGES.get(program);
        if (debianPackage == null) {
            throw new IllegalArgumentException("tests run " + program + ", whose Debian package Programs does not"
                    + " name: add it there (and to bin/test's list unless the base machine has it)");
        }
        if (!onPath(program, searchPath)) {
            throw new IllegalStateException("needs " + program + " (Debian package " + debianPackage + ")");
        }
    }

    /**
     * A process builder for a command line whose programs are all there: the first word and, after
     * {@code ip netns exec NS}, the command it runs in the namespace.
     */
    public static ProcessBuilder processBuilder(List<String> command) {
        require(command.getFirst());
        if (command.size() > 4 && command.subList(0, 3).equals(List.of("ip", "netns", "exec"))) {
            require(command.get(4));
        }
        return new ProcessBuilder(command);
    }

    private static boolean onPath(String program, String searchPath) {
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
