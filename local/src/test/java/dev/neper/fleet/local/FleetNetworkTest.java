package dev.neper.fleet.local;

import dev.neper.fleet.local.topology.FleetLayout;
import dev.neper.fleet.local.topology.FleetNetwork;
import dev.neper.fleet.runner.sys.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local fleet's network: rails connect every node to every other on each link; close removes it
 * all. Reachability is a TCP connection made inside the node namespaces, from one node's address on
 * the rail to a listener on the other's, so the test needs no program beyond iproute2.
 */
class FleetNetworkTest {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    /** Runs code on a thread that has moved itself into the namespace (setns moves the calling thread only). */
    private static <T> T inNamespace(String namespace, Callable<T> code) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                NetworkNamespace.enterCurrentThread(namespace);
                return code.call();
            }).get(30, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }

    /**
     * Whether node {@code from} reaches node {@code to} on a rail: a connection from {@code from}'s
     * rail address to {@code to}'s reaches a listener in {@code to}'s namespace, within bounded timeouts.
     */
    private static boolean reaches(FleetLayout layout, int from, int to, int link) throws Exception {
        InetAddress target = InetAddress.getByName(layout.address(to, link));
        InetAddress source = InetAddress.getByName(layout.address(from, link));
        try (ServerSocket listener = inNamespace(layout.namespace(to), () -> new ServerSocket(0, 1))) {
            listener.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            boolean connected = inNamespace(layout.namespace(from), () -> {
                try (Socket socket = new Socket()) {
                    socket.bind(new InetSocketAddress(source, 0));
                    socket.connect(new InetSocketAddress(target, listener.getLocalPort()), CONNECT_TIMEOUT_MILLIS);
                    return true;
                } catch (IOException unreachable) {
                    return false;
                }
            });
            if (connected) {
                try (Socket accepted = listener.accept()) {
                    assertEquals(source, accepted.getInetAddress(), "the connection came over the rail");
                }
            }
            return connected;
        }
    }

    private static List<String> addresses(FleetLayout layout, int node, int link) throws Exception {
        return inNamespace(layout.namespace(node), () -> NetworkInterface.getByName(layout.device(link))
                .getInterfaceAddresses().stream().map(a -> a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength())
                .toList());
    }

    @Test
    void everyNodeReachesEveryOtherOnEachRailAndNothingIsLeftAfterClose() throws Exception {
        FleetLayout layout = new FleetLayout("t" + ProcessHandle.current().pid() % 100000, 3, 2);
        List<String> namespaces;
        try (FleetNetwork network = FleetNetwork.create(layout)) {
            namespaces = network.namespaces();
            assertEquals(4, namespaces.size(), "three nodes and the fabric");
            for (int link = 1; link <= 2; link++) {
                assertTrue(reaches(layout, 1, 3, link), "node 1 to node 3 on rail " + link);
                assertTrue(reaches(layout, 2, 1, link), "node 2 to node 1 on rail " + link);
            }
            assertTrue(addresses(layout, 2, 2).contains("198.18.2.2/24"), String.valueOf(addresses(layout, 2, 2)));
            network.setLink(3, 2, false);
            assertFalse(reaches(layout, 1, 3, 2), "a link set down carries nothing");
            assertTrue(reaches(layout, 1, 3, 1), "the node's other link still works");
        }
        for (String ns : namespaces) {
            assertFalse(Files.exists(Path.of("/var/run/netns", ns)), ns + " is gone");
        }
    }
}
