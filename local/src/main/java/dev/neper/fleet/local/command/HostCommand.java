package dev.neper.fleet.local.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (ip, podman) with a timeout, failing with the command's own output. */
public final class HostCommand {
    private HostCommand() {
    }

    /**
     * Runs {@code command} and returns its output (stdout and stderr, trimmed).
     * @param missing what to tell the user when the program cannot be started, e.g. "is iproute2 installed?"
     * @throws IllegalStateException when it cannot start, exits non-zero or outlives {@code timeout}
     */
    public static String run(Duration timeout, String missing, List<String> command) {
        String line = String.join(" ", command);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // read while it runs: a command whose output fills the pipe would never exit
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Thread::startVirtualThread);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(line + " did not finish in " + timeout.toSeconds() + " s");
            }
            String text = output.join();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(line + " (exit " + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + line + " (" + missing + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + line, e);
        }
    }
}
