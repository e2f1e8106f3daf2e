package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.observe.ObservedPod;

/**
 * How a runner's container ended, in words: "exited with code 1", or, for a container a signal
 * ended (the kubelet's signal field, else an exit code above 128, which is how container runtimes
 * report a signal), "was killed by signal 9 (SIGKILL)".
 */
public final class ExitStatus {
    /** Signal numbers as Linux has them on x86 and arm, 1 to 15. */
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
    private static final int SIGNAL_EXIT_BASE = 128;

    private ExitStatus() {
    }

    /** The signal that ended the pod's container, or null when it exited by itself. */
    public static Integer signal(ObservedPod pod) {
        if (pod.signal() != null && pod.signal() > 0) {
            return pod.signal();
        }
        Integer code = pod.exitCode();
        return code != null && code > SIGNAL_EXIT_BASE && code < SIGNAL_EXIT_BASE + 64 ? code - SIGNAL_EXIT_BASE : null;
    }

    /** "exited with code 1", "was killed by signal 9 (SIGKILL, exit code 137)", with the kubelet's reason if telling. */
    public static String describe(ObservedPod pod) {
        Integer signal = signal(pod);
        String reason = pod.reason() != null && !pod.reason().equals("Error") ? pod.reason() : null;
        if (signal == null) {
            return "exited with code " + pod.exitCode() + (reason == null ? "" : " (" + reason + ")");
        }
        String name = signal < NAMES.length ? NAMES[signal] + ", " : "";
        return "was killed by signal " + signal + " (" + name + "exit code " + pod.exitCode()
                + (reason == null ? "" : ", " + reason) + ")";
    }
}
