package dev.neper.fleet.local.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's ip (and tc), failing with its own message. */
final class IpCommand {
    private static final long TIMEOUT_SECONDS = 20;

    private IpCommand() {
    }

    static String run(String... args) {
        return exec("ip", args);
    }

    /** Runs iproute2's tc (traffic control), failing with its own message. */
    static String tc(String... args) {
        return exec("tc", args);
    }

    private static String exec(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + " (Debian package iproute2)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs, ignoring failure: for cleanup of things that may already be gone. */
    static void tryRun(String... args) {
        try {
            run(args);
        } catch (IllegalStateException ignored) {
            // already gone
        }
    }

    static void tryTc(String... args) {
        try {
            tc(args);
        } catch (IllegalStateException ignored) {
            // already gone
        }
    }
}
