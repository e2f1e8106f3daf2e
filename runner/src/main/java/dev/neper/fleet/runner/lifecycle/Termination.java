package dev.neper.fleet.runner.lifecycle;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.RunError;
import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Why a run must end before its natural end: SIGTERM/SIGINT (what Kubernetes sends a deleted pod)
 * or the suicide length passing. Waits anywhere in the runner poll in short slices and check it, so
 * every path unwinds through the normal cleanup (NIC restore, report) instead of dying in place.
 */
public final class Termination {
    /** How long after the suicide length the process is halted if the run has not unwound by then. */
    static final long SUICIDE_GRACE_MILLIS = 5_000;

    private volatile RunError reason;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public boolean requested() {
        return reason != null;
    }

    public RunError reason() {
        return reason;
    }

    public void request(ErrorKind kind, String message) {
        request(new RunError(kind, message));
    }

    private synchronized void request(RunError error) {
        if (reason == null) {
            reason = error;
            listeners.forEach(Runnable::run);
        }
    }

    /**
     * A termination of one part of the run (a link of a links run): requested with this one, or on
     * its own, which ends that part only.
     */
    public Termination part() {
        Termination part = new Termination();
        onRequest(() -> part.request(reason));
        return part;
    }

    /** Runs {@code wakeup} when termination is requested (at once if it already is). */
    public synchronized void onRequest(Runnable wakeup) {
        listeners.add(wakeup);
        if (reason != null) {
            wakeup.run();
        }
    }

    public void removeListener(Runnable wakeup) {
        listeners.remove(wakeup);
    }

    /** SIGTERM and SIGINT request a graceful stop instead of killing the JVM. */
    public void handleSignals() {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> request(ErrorKind.TERMINATED,
                    "stopped by SIG" + signal.getName() + " before the run finished"));
        }
    }

    /** neper's -s: after {@code seconds}, stop; if the run has not unwound within a grace period, halt. */
    public void armSuicide(int seconds) {
        Thread timer = Thread.ofPlatform().daemon().name("suicide-timer").start(() -> {
            try {
                Thread.sleep(seconds * 1000L);
                request(ErrorKind.SUICIDE, "suicide length of " + seconds + " s passed before the run finished");
                Thread.sleep(SUICIDE_GRACE_MILLIS);
                System.err.println("suicide length passed and the run did not stop within "
                        + SUICIDE_GRACE_MILLIS + " ms; halting");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        timer.setUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(1));
    }
}
