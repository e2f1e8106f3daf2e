package dev.neper.fleet.runner.multi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** A network device's operational state from sysfs, to tell a dead link from a dead peer. */
final class DeviceState {
    /** States that do not mean the device is broken: loopback and some virtual devices report "unknown". */
    private static final Set<String> WORKING = Set.of("up", "unknown");

    private DeviceState() {
    }

    /** Whether an operstate means the device can carry traffic. */
    static boolean working(String operstate) {
        return WORKING.contains(operstate);
    }

    /** The state when the device exists and is not working, e.g. "down" or "lowerlayerdown". */
    static Optional<String> notWorking(Path sysClassNet, String device) {
        try {
            // Files.readString stops short on sysfs files, whose reported size is 0
            String state = Files.readAllLines(sysClassNet.resolve(device).resolve("operstate")).getFirst().trim();
            return working(state) ? Optional.empty() : Optional.of(state);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
