package dev.neper.fleet.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the outside programs tests use (promtool, chromium, kubectl) to their end, bounded; each is checked first
 * with the runner's {@link dev.neper.fleet.runner.testing.Programs}, which names its Debian package when it is missing.
 */
public final class ProgramRuns {
    /** How a program ended: its exit code and what it printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {
    }

    private ProgramRuns() {
    }

    /** Runs a command to its end, killed after {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        dev.neper.fleet.runner.testing.Programs.require(command.getFirst());
        Path output = Files.createTempFile("neper-program-", ".out");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s: "
                        + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, List.of(command));
    }
}
