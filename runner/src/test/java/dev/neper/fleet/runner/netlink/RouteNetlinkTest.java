package dev.neper.fleet.runner.netlink;

import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rtnetlink link and address dumps against a namespace whose devices and addresses the test set up. */
class RouteNetlinkTest {
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("rtnl", 41, 2);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    @Test
    void linksAndAddressesOfANamespace() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (RouteNetlink route = RouteNetlink.open()) {
                Map<String, RouteNetlink.Link> links = route.links().stream()
                        .collect(Collectors.toMap(RouteNetlink.Link::name, l -> l));
                assertEquals(List.of("eth1", "eth2", "lo"), links.keySet().stream().sorted().toList());
                RouteNetlink.Link lo = links.get("lo");
                assertEquals(RouteNetlink.ARPHRD_LOOPBACK, lo.type());
                assertEquals(1, lo.index());
                assertEquals("unknown", lo.operstate());
                RouteNetlink.Link eth1 = links.get("eth1");
                assertEquals("veth", eth1.kind());
                assertEquals(1500, eth1.mtu());
                assertTrue(eth1.rxQueues() >= 1, "RX queues allocated: " + eth1.rxQueues());
                assertNull(eth1.parentBus(), "a veth has no parent device");
                Map<Integer, List<String>> addresses = route.addresses().stream().collect(Collectors.groupingBy(
                        RouteNetlink.Address::index, Collectors.mapping(RouteNetlink.Address::text, Collectors.toList())));
                assertTrue(addresses.get(eth1.index()).contains(pair.addressA(1) + "/24"), addresses.toString());
                assertTrue(addresses.get(links.get("eth2").index()).contains(pair.addressA(2) + "/24"), addresses.toString());
                assertTrue(addresses.get(eth1.index()).stream().anyMatch(a -> a.startsWith("fe80:") && a.endsWith("/64")),
                        "the kernel's IPv6 link-local address: " + addresses);
                assertEquals(List.of("127.0.0.1/8", "::1/128"), addresses.get(1));
            }
        });
    }

    @Test
    void ipv6IsWrittenShortAsIpWritesIt() throws Exception {
        String[][] cases = {{"fe80::4001:c0ff:fea8:117", "fe80:0:0:0:4001:c0ff:fea8:117"}, {"::", "::"},
                {"2001:db8::1:0:0:1", "2001:db8:0:0:1:0:0:1"}, {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
                {"1::", "1:0:0:0:0:0:0:0"}, {"1:0:0:1::1", "1:0:0:1:0:0:0:1"}};
        for (String[] c : cases) {
            assertEquals(c[0], RouteNetlink.Address.shortIpv6(java.net.InetAddress.getByName(c[1]).getAddress()), c[1]);
        }
    }
}
