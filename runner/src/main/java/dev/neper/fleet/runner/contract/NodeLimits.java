package dev.neper.fleet.runner.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Limits of the node a runner runs on that bound its options: today net.core.somaxconn, the ceiling
 * of a listen() backlog. Only the node knows them: the runner reads its own ({@link #ofThisNode}) and
 * refuses a command line past them; the operator, which runs elsewhere, checks options with
 * {@link OptionChecks#check} alone and leaves these to the runner, whose refusal names the node's value.
 */
public record NodeLimits(OptionalInt somaxconn) {
    public static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    /** What nothing is known about: every node-side check passes. */
    public static NodeLimits unknown() {
        return new NodeLimits(OptionalInt.empty());
    }

    /** The limits of the machine this process runs on; a value that cannot be read is left unknown. */
    public static NodeLimits ofThisNode() {
        try {
            // Files.readString stops short on procfs files, whose reported size is 0; read lines instead.
            return new NodeLimits(OptionalInt.of(Integer.parseInt(Files.readAllLines(SOMAXCONN).getFirst().trim())));
        } catch (IOException | RuntimeException e) {
            return unknown();
        }
    }
}
