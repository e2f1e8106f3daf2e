package dev.neper.fleet.local.topology;

import dev.neper.fleet.local.command.HostCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs iproute2's ip, failing with its own message. */
final class IpCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private IpCommand() {
    }

    static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return HostCommand.run(TIMEOUT, "is iproute2 installed?", command);
    }

    /** Runs, ignoring failure: for cleanup of things that may already be gone. */
    static void tryRun(String... args) {
        try {
            run(args);
        } catch (IllegalStateException ignored) {
            // already gone
        }
    }
}
