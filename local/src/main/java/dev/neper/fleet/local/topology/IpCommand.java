package dev.neper.fleet.local.topology;

import dev.neper.fleet.local.command.HostCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs iproute2's ip (and tc), failing with its own message. */
final class IpCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

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
        return HostCommand.run(TIMEOUT, "Debian package iproute2", command);
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
