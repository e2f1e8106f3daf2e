package dev.neper.fleet.runner.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (ip, gcc) for test setup, with a timeout, failing loudly (a missing program by its package). */
public final class Commands {
    private static final long TIMEOUT_SECONDS = 20;

    private Commands() {
    }

    public record Result(int exitCode, String output) {
    }

    public static Result run(List<String> command) {
        try {
            Process p = Programs.processBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs and requires exit code 0. */
    public static String check(String... command) {
        Result r = run(List.of(command));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.output());
        }
        return r.output();
    }
}
