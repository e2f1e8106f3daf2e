package dev.neper.fleet.local;

import dev.neper.fleet.local.topology.FleetLayout;
import dev.neper.fleet.local.topology.FleetNetwork;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local fleet's network: rails connect every node to every other on each link; close removes it all. */
class FleetNetworkTest {
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static boolean pings(String ns, String address) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "2", address).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.exitValue() == 0;
    }

    @Test
    void everyNodeReachesEveryOtherOnEachRailAndNothingIsLeftAfterClose() throws Exception {
        FleetLayout layout = new FleetLayout("t" + ProcessHandle.current().pid() % 100000, 3, 2);
        List<String> namespaces;
        try (FleetNetwork network = FleetNetwork.create(layout)) {
            namespaces = network.namespaces();
            assertEquals(4, namespaces.size(), "three nodes and the fabric");
            for (int link = 1; link <= 2; link++) {
                assertTrue(pings(layout.namespace(1), layout.address(3, link)), "node 1 to node 3 on rail " + link);
                assertTrue(pings(layout.namespace(2), layout.address(1, link)), "node 2 to node 1 on rail " + link);
            }
            assertTrue(run("ip", "-n", layout.namespace(2), "addr", "show", "eth2").contains("198.18.2.2/24"));
            network.setLink(3, 2, false);
            assertFalse(pings(layout.namespace(1), layout.address(3, 2)), "a link set down carries nothing");
            assertTrue(pings(layout.namespace(1), layout.address(3, 1)), "the node's other link still works");
        }
        String left = run("ip", "netns", "list");
        for (String ns : namespaces) {
            assertFalse(left.contains(ns), ns + " is gone");
        }
    }
}
