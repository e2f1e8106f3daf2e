package dev.neper.fleet.runner.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace with only its loopback device, up with the given MTU: a private loopback for
 * tests that must change it (the host's stays as it is). {@link #close} deletes it; a shutdown hook
 * does too if the JVM exits first.
 */
public final class LoopbackNetns implements AutoCloseable {
    private final String name;
    private final Thread cleanupHook;
    private boolean closed;

    private LoopbackNetns(String name) {
        this.name = name;
        this.cleanupHook = new Thread(() -> Commands.run(java.util.List.of("ip", "netns", "del", name)));
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    public static LoopbackNetns create(String tag, int mtu) {
        String name = "nf-" + tag + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        Commands.check("ip", "netns", "add", name);
        LoopbackNetns ns = new LoopbackNetns(name);
        try {
            Commands.check("ip", "-n", name, "link", "set", "lo", "mtu", String.valueOf(mtu), "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Commands.run(java.util.List.of("ip", "netns", "del", name));
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
