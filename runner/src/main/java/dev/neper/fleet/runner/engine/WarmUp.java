package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.MemoryMode;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a process warms its data path before its first flow (see {@code Worker#warmUp}). On by
 * default in host memory; {@value #VARIABLE}={@value #OFF} turns it off where several runners share a
 * machine's CPUs (the local fleet's namespace nodes), since one run's warm-up would load another run's
 * measured window there. An environment variable, not a flag, so the options echo stays neper's.
 */
public final class WarmUp {
    public static final String VARIABLE = "NEPER_RUNNER_WARM_UP";
    public static final String OFF = "off";
    private static final String ON = "on";
    private static final boolean TURNED_OFF = OFF.equals(System.getenv(VARIABLE));

    private WarmUp() {
    }

    /** What is wrong with the variable's value in {@code environment}, if anything. */
    public static Optional<String> problem(Map<String, String> environment) {
        String value = environment.getOrDefault(VARIABLE, ON);
        return value.equals(ON) || value.equals(OFF) ? Optional.empty()
                : Optional.of(VARIABLE + " must be " + ON + " or " + OFF + ", not '" + value + "'");
    }

    static boolean wanted(MemoryMode mode) {
        return wanted(mode, TURNED_OFF);
    }

    static boolean wanted(MemoryMode mode, boolean turnedOff) {
        return !mode.isDevmem() && !turnedOff;
    }
}
