package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class LinkSetCommandTest {
    private static final List<LinkSpec> LINKS = List.of(
            new LinkSpec("eth1", "192.168.1.23", "192.168.1.26"),
            new LinkSpec("eth2", "192.168.2.23", "192.168.2.26", "0000:06:00.0", "0000:04:00.0"));

    @Test
    void linkIUsesControlPortCPlusIAndItsOwnBlockOfDataPorts() {
        Options client = Options.defaults().with(OptionSpec.CLIENT, true).with(OptionSpec.NUM_FLOWS, 2)
                .with(OptionSpec.NUM_THREADS, 2).with(OptionSpec.NUM_PORTS, 2).with(OptionSpec.CONTROL_PORT, 12866)
                .with(OptionSpec.PORT, 12345);
        LinkSetCommand command = new LinkSetCommand(LINKS, client, null);
        Options second = command.linkOptions(1);
        assertEquals(12867, second.controlPort());
        assertEquals(12347, second.port());
        assertEquals("192.168.2.26", second.host());
        assertEquals("192.168.2.23", second.localHosts());
        assertEquals("eth2", second.bindDevice(), "a link's data sockets are bound to its device");
        assertEquals("eth1", command.linkOptions(0).bindDevice());
        assertEquals(12867, command.controlPort(1));

        Options server = command.options().with(OptionSpec.CLIENT, false);
        Options serverSecond = new LinkSetCommand(LINKS, server, null).linkOptions(1);
        assertEquals("192.168.2.23", serverSecond.host(), "a server binds to its own address on the link");
        assertNull(serverSecond.localHosts());
    }

    @Test
    void sourcePortsAdvanceByTheFlowsOfEachLinkAsMultiNeperDoes() {
        Options client = Options.defaults().with(OptionSpec.CLIENT, true).with(OptionSpec.NUM_FLOWS, 4)
                .with(OptionSpec.NUM_THREADS, 4).with(OptionSpec.SOURCE_PORT, 12345);
        Options second = new LinkSetCommand(LINKS, client, null).linkOptions(1);
        assertEquals(12349, second.sourcePort());
        assertNull(second.localHosts(), "neper refuses source ports together with local hosts");
    }

    @Test
    void argumentsRoundTripThroughTheParser() {
        Options options = Options.defaults().with(OptionSpec.CLIENT, true).with(OptionSpec.TEST_LENGTH, 30);
        List<String> args = new LinkSetCommand(LINKS, options, "/dev/termination-log").toArgs();
        assertEquals(List.of("links", "--link=eth1,192.168.1.23,192.168.1.26",
                "--link=eth2,192.168.2.23,192.168.2.26,nic=0000:06:00.0,gpu=0000:04:00.0",
                "--termination-summary=/dev/termination-log", "--client", "--test-length=30"), args);
        assertEquals(LINKS.get(1), LinkSpec.parse(LINKS.get(1).toArgument()));
    }

    @Test
    void anExplicitCpuListKeepsItsCommas() {
        LinkSpec link = LinkSpec.parse("eth3,192.168.3.23,192.168.3.26,cpus=54-55,160,gpu=0000:84:00.0");
        assertEquals("54-55,160", link.cpus());
        assertEquals("0000:84:00.0", link.gpuPci());
        assertEquals(link, LinkSpec.parse(link.toArgument()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("eth1,a,b,cpus=1-x"))
                .getMessage().contains("cpus= takes a CPU list like 2-3,54, not '1-x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("eth1,a,b,gpu=0000:04:00.0,5"))
                .getMessage().contains("unknown link attribute '5'"), "only a CPU list continues after a comma");
    }

    @Test
    void badLinksAreRefusedWithTheirText() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("eth1,10.0.0.1"))
                .getMessage().contains("DEVICE,LOCAL_IP,PEER_IP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("eth1,a,b,queue=3"))
                .getMessage().contains("unknown link attribute 'queue=3'"));
        assertThrows(IllegalArgumentException.class, () -> new LinkSetCommand(List.of(), Options.defaults(), null));
    }
}
