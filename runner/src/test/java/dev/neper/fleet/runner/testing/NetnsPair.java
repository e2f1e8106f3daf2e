package dev.neper.fleet.runner.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two network namespaces joined by one or more veth pairs (links eth1..ethN): two hosts for
 * multi-host tests. Link i (1-based) has 198.18.{subnet+i-1}.1/24 in A and .2 in B, so addresses
 * come from the benchmarking range 198.18.0.0/15 only. Names carry the pid and a random tag so
 * parallel test runs never collide, and {@link #close} deletes both namespaces (which deletes the
 * veth pairs); a shutdown hook does it too if the JVM exits first.
 */
public final class NetnsPair implements AutoCloseable {
    private final String a;
    private final String b;
    private final int subnet;
    private final int links;
    private final Thread cleanupHook;
    private boolean closed;

    private NetnsPair(String a, String b, int subnet, int links) {
        this.a = a;
        this.b = b;
        this.subnet = subnet;
        this.links = links;
        this.cleanupHook = new Thread(this::deleteNamespaces);
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /** One link, eth1: 198.18.{subnet}.1 in A, .2 in B. */
    public static NetnsPair create(String tag, int subnet) {
        return create(tag, subnet, 1);
    }

    public static NetnsPair create(String tag, int subnet, int links) {
        if (subnet < 0 || subnet + links - 1 > 255 || links < 1) {
            throw new IllegalArgumentException("links must fit 198.18.subnet.0/24 .. 198.18.255.0/24");
        }
        String unique = ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        NetnsPair pair = new NetnsPair("nf-" + tag + "-" + unique + "-a", "nf-" + tag + "-" + unique + "-b", subnet, links);
        try {
            Commands.check("ip", "netns", "add", pair.a);
            Commands.check("ip", "netns", "add", pair.b);
            Commands.check("ip", "-n", pair.a, "link", "set", "lo", "up");
            Commands.check("ip", "-n", pair.b, "link", "set", "lo", "up");
            for (int link = 1; link <= links; link++) {
                String device = "eth" + link;
                // created inside A with its peer moved to B at once: no name ever exists in the root namespace
                Commands.check("ip", "-n", pair.a, "link", "add", device, "type", "veth", "peer", "name", device,
                        "netns", pair.b);
                pair.setUp(pair.a, device, pair.addressA(link));
                pair.setUp(pair.b, device, pair.addressB(link));
            }
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private void setUp(String ns, String device, String address) {
        Commands.check("ip", "-n", ns, "addr", "add", address + "/24", "dev", device);
        Commands.check("ip", "-n", ns, "link", "set", device, "up");
    }

    public int links() {
        return links;
    }

    /** Host A's address on link i (1-based). */
    public String addressA(int link) {
        return "198.18." + (subnet + link - 1) + ".1";
    }

    public String addressB(int link) {
        return "198.18." + (subnet + link - 1) + ".2";
    }

    public String namespaceA() {
        return a;
    }

    public String namespaceB() {
        return b;
    }

    public String addressA() {
        return addressA(1);
    }

    public String addressB() {
        return addressB(1);
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
