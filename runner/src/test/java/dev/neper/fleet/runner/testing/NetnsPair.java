package dev.neper.fleet.runner.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two network namespaces joined by a veth pair: two hosts for multi-host tests. Addresses come from
 * the benchmarking range 198.18.0.0/15 only. Names carry the pid and a random tag so parallel test
 * runs never collide, and {@link #close} deletes both namespaces (which deletes the veth pair);
 * a shutdown hook does it too if the JVM exits first.
 */
public final class NetnsPair implements AutoCloseable {
    private final String a;
    private final String b;
    private final String addressA;
    private final String addressB;
    private final String deviceA;
    private final String deviceB;
    private final Thread cleanupHook;
    private boolean closed;

    private NetnsPair(String a, String b, String addressA, String addressB, String deviceA, String deviceB) {
        this.a = a;
        this.b = b;
        this.addressA = addressA;
        this.addressB = addressB;
        this.deviceA = deviceA;
        this.deviceB = deviceB;
        this.cleanupHook = new Thread(this::deleteNamespaces);
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /** Creates the pair with 198.18.{subnet}.1/24 in A and .2 in B; both ends named eth1. */
    public static NetnsPair create(String tag, int subnet) {
        if (subnet < 0 || subnet > 255) {
            throw new IllegalArgumentException("subnet must be 0..255 (198.18.subnet.0/24)");
        }
        String unique = ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        String a = "nf-" + tag + "-" + unique + "-a";
        String b = "nf-" + tag + "-" + unique + "-b";
        String vethA = "nfa" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000));
        String vethB = "nfb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000));
        NetnsPair pair = new NetnsPair(a, b, "198.18." + subnet + ".1", "198.18." + subnet + ".2", "eth1", "eth1");
        try {
            Commands.check("ip", "netns", "add", a);
            Commands.check("ip", "netns", "add", b);
            Commands.check("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
            Commands.check("ip", "link", "set", vethA, "netns", a);
            Commands.check("ip", "link", "set", vethB, "netns", b);
            pair.setUp(a, vethA, pair.addressA);
            pair.setUp(b, vethB, pair.addressB);
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            Commands.run(List.of("ip", "link", "del", vethA));
            throw e;
        }
    }

    private void setUp(String ns, String veth, String address) {
        Commands.check("ip", "-n", ns, "link", "set", veth, "name", "eth1");
        Commands.check("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth1");
        Commands.check("ip", "-n", ns, "link", "set", "eth1", "up");
        Commands.check("ip", "-n", ns, "link", "set", "lo", "up");
    }

    public String namespaceA() {
        return a;
    }

    public String namespaceB() {
        return b;
    }

    public String addressA() {
        return addressA;
    }

    public String addressB() {
        return addressB;
    }

    public String deviceA() {
        return deviceA;
    }

    public String deviceB() {
        return deviceB;
    }

    /** {@code ip netns exec NS command...}: the prefix that runs a command inside a namespace. */
    public static List<String> inNamespace(String ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        return full;
    }

    /** Runs a command in a namespace, requiring success. */
    public String exec(String ns, String... command) {
        return Commands.check(inNamespace(ns, List.of(command)).toArray(String[]::new));
    }

    private void deleteNamespaces() {
        Commands.run(List.of("ip", "netns", "del", a));
        Commands.run(List.of("ip", "netns", "del", b));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deleteNamespaces();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
