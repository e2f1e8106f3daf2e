package dev.neper.fleet.operator.fleet.eligibility;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class EligibilityTest {
    private static List<ObservedDevice> devices(int host) {
        return List.of(new ObservedDevice("eth1", "10.1.0." + host, 24), new ObservedDevice("eth2", "10.2.0." + host, 24),
                new ObservedDevice("eth10", "10.10.0." + host, 24), new ObservedDevice("eth0", "192.168.0." + host, 24));
    }

    private static ObservedNode node(String name, int host) {
        return new ObservedNode(name, "r1", true, false, false, null, devices(host));
    }

    private static ObservedNode withDevices(String name, List<ObservedDevice> devices) {
        return new ObservedNode(name, null, true, false, false, null, devices);
    }

    private static Map<String, PreVerdict> preVerdicts(EligibleFleet fleet) {
        return fleet.preVerdicts().stream().collect(Collectors.toMap(PreVerdict::node, Function.identity()));
    }

    @Test
    void aPatternSelectsRailsInNaturalOrder() {
        EligibleFleet fleet = Eligibility.assess(DeviceSelection.matching("eth[1-9][0-9]*"), List.of(node("a", 1), node("b", 2)));
        assertEquals(List.of("eth1", "eth2", "eth10"), fleet.rails());
        assertEquals(List.of("a", "b"), fleet.nodes().stream().map(TestNode::name).toList());
        assertEquals("10.10.0.2", fleet.nodes().get(1).addresses().get("eth10"));
    }

    @Test
    void nodesThatCannotBeTestedGetSkippedOrUnqualifiedWithTheirReason() {
        List<ObservedNode> nodes = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            nodes.add(node("ok" + i, i));
        }
        nodes.add(new ObservedNode("unready", null, false, false, false, null, devices(20)));
        nodes.add(new ObservedNode("cordoned", null, true, true, false, null, devices(21)));
        nodes.add(new ObservedNode("excluded", null, true, false, true, null, devices(22)));
        nodes.add(new ObservedNode("doctor", null, true, false, false, "no dmabuf support in the NIC driver", devices(23)));
        nodes.add(withDevices("missing", List.of(new ObservedDevice("eth1", "10.1.0.24", 24))));
        nodes.add(withDevices("noaddress", List.of(new ObservedDevice("eth1", "10.1.0.25", 24), new ObservedDevice("eth2", null, null))));
        nodes.add(withDevices("noprefix", List.of(new ObservedDevice("eth1", "10.1.0.26", 24), new ObservedDevice("eth2", "10.2.0.26", null))));
        nodes.add(withDevices("garbage", List.of(new ObservedDevice("eth1", "not-an-ip", 24), new ObservedDevice("eth2", "10.2.0.27", 24))));
        nodes.add(withDevices("elsewhere", List.of(new ObservedDevice("eth1", "10.1.0.28", 24), new ObservedDevice("eth2", "10.9.0.28", 24))));
        nodes.add(withDevices("twin", List.of(new ObservedDevice("eth1", "10.1.0.1", 24), new ObservedDevice("eth2", "10.2.0.29", 24))));
        EligibleFleet fleet = Eligibility.assess(DeviceSelection.named("eth1", "eth2"), nodes);
        Map<String, PreVerdict> pre = preVerdicts(fleet);
        assertEquals(List.of("ok2", "ok3", "ok4", "ok5"), fleet.nodes().stream().map(TestNode::name).toList());
        assertEquals("node is not Ready", pre.get("unready").reason());
        assertEquals(PreVerdict.Kind.Skipped, pre.get("cordoned").kind());
        assertEquals(PreVerdict.Kind.Skipped, pre.get("excluded").kind());
        assertEquals("preflight failed: no dmabuf support in the NIC driver", pre.get("doctor").reason());
        assertEquals("lacks selected device eth2", pre.get("missing").reason());
        assertEquals("eth2 has no address", pre.get("noaddress").reason());
        assertTrue(pre.get("noprefix").reason().contains("no prefix length"));
        assertTrue(pre.get("garbage").reason().startsWith("eth1 address not-an-ip/24 is not usable"));
        assertEquals("eth2", pre.get("elsewhere").device());
        assertTrue(pre.get("elsewhere").reason().contains("is in 10.9.0.0/24, not in rail eth2's subnet 10.2.0.0/24"),
                pre.get("elsewhere").reason());
        assertEquals("eth1 address 10.1.0.1 is also on ok1", pre.get("twin").reason());
        assertEquals("eth1 address 10.1.0.1 is also on twin", pre.get("ok1").reason());
        assertTrue(fleet.preVerdicts().stream().allMatch(p -> p.kind() == PreVerdict.Kind.Unqualified
                || List.of("unready", "cordoned", "excluded").contains(p.node())));
    }

    @Test
    void discoveryDevicesGiveTheirFirstRoutableAddress() {
        assertEquals(new ObservedDevice("eth1", "198.18.1.1", 24),
                ObservedDevice.of(discovered("eth1", "fe80::1/64", "169.254.3.3/16", "198.18.1.1/24", "198.18.9.9/24")));
        assertEquals(new ObservedDevice("eth2", "fd00::2", 64), ObservedDevice.of(discovered("eth2", "fd00::2/64")));
        assertEquals(new ObservedDevice("eth3", null, null), ObservedDevice.of(discovered("eth3", "fe80::3/64")));
        assertEquals(new ObservedDevice("eth4", "198.18.4.4", -1), ObservedDevice.of(discovered("eth4", "198.18.4.4/x")));
    }

    private static dev.neper.fleet.runner.contract.NetworkDevice discovered(String name, String... addresses) {
        return new dev.neper.fleet.runner.contract.NetworkDevice(name, 3, "up", 200_000, 8244, List.of(addresses),
                "gve", "0000:06:00.0", 0, "0-51", 16, true, List.of(), null, null);
    }

    @Test
    void aNodeObservedTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Eligibility.assess(DeviceSelection.named("eth1"), List.of(node("a", 1), node("a", 2))));
    }

    @Test
    void aSelectionNeedsNamesOrAPatternAndAPatternMustCompile() {
        assertThrows(IllegalArgumentException.class, () -> new DeviceSelection(List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new DeviceSelection(List.of("eth1"), "eth.*"));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> DeviceSelection.matching("eth["));
    }

    @Test
    void subnetsMaskIpv4AndIpv6WithoutANameLookup() {
        assertEquals("10.1.0.0/16", Subnet.of("10.1.7.9", 16).network());
        assertEquals("10.1.7.8/29", Subnet.of("10.1.7.9", 29).network());
        assertEquals("fd00:1:0:0:0:0:0:0/64", Subnet.of("fd00:1::42", 64).network());
        assertThrows(IllegalArgumentException.class, () -> Subnet.of("10.0.0.1", 33));
        assertThrows(IllegalArgumentException.class, () -> Subnet.of("node-1.example", 24));
    }
}
