package dev.neper.fleet.runner.datapath;

import dev.neper.fleet.runner.devmem.ZerocopySender;
import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ParsedCommand;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.nic.ReceivePlan;
import dev.neper.fleet.runner.sys.MissingSupportException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a devmem run asks of the NIC and the memory, derived from the command line. */
@Tag("unit")
class DevmemSetupTest {
    private static Options options(String... args) throws Exception {
        return ((ParsedCommand.Run) OptionParser.parse(List.of(args))).options();
    }

    @Test
    void aReceivingServerSteersFlowIOnPortPPlusIToQueueStartPlusI() throws Exception {
        Options o = options("--mode", "cuda", "-T", "2", "-F", "2", "--num-ports", "2", "-P", "20000",
                "-H", "198.18.5.1", "--tcpd-src-ip", "198.18.5.2", "--source-port", "30000", "--queue-start", "6",
                "--queue-num", "2");
        ReceivePlan plan = DevmemSetup.receivePlan(o);
        InetAddress server = InetAddress.getByName("198.18.5.1");
        InetAddress client = InetAddress.getByName("198.18.5.2");
        assertEquals(List.of(new FlowRule(client, server, 30000, 20000, 6), new FlowRule(client, server, 30001, 20001, 7)),
                plan.rules());
        assertEquals(List.of(6, 7), plan.queues());
        assertEquals("flow-type tcp4 src-ip 198.18.5.2 dst-ip 198.18.5.1 src-port 30000 dst-port 20000 queue 6",
                plan.rules().getFirst().toString());
    }

    @Test
    void tcpdDstIpWinsOverHostAndTheSourceMayBeAWildcard() throws Exception {
        Options o = options("--mode", "udmabuf", "-H", "0.0.0.0", "--tcpd-dst-ip", "198.18.6.1");
        FlowRule rule = DevmemSetup.receivePlan(o).rules().getFirst();
        assertEquals(new FlowRule(null, InetAddress.getByName("198.18.6.1"), -1, 12867, 8), rule);
    }

    @Test
    void aReceiverWithoutItsAddressIsRefused() throws Exception {
        IOException e = assertThrows(IOException.class, () -> DevmemSetup.receivePlan(options("--mode", "udmabuf")));
        assertEquals("devmem receive steers each flow by address: --tcpd-dst-ip (or -H) is needed", e.getMessage());
        IOException client = assertThrows(IOException.class, () -> DevmemSetup.receivePlan(options("--mode", "udmabuf",
                "-c", "-M", "-H", "198.18.6.1")));
        assertTrue(client.getMessage().contains("--tcpd-src-ip and --source-port are needed"), client.getMessage());
    }

    @Test
    void memorySizes() throws Exception {
        assertEquals(DevmemSetup.DEFAULT_RECEIVE_MEMORY, DevmemSetup.memorySize(options("--mode", "udmabuf")));
        assertEquals(1L << 30, DevmemSetup.memorySize(options("--mode", "cuda", "--tcpd-phys-len", "1073741824")));
        Options sender = options("--mode", "cuda", "-c", "-T", "2", "-F", "2", "--num-ports", "2", "-B", "409600");
        assertEquals(2 * ZerocopySender.regionSize(409600), DevmemSetup.memorySize(sender));
        assertEquals(2 * 16 * 413696L, DevmemSetup.memorySize(sender));
        MissingSupportException small = assertThrows(MissingSupportException.class, () -> DevmemSetup.memorySize(
                options("--mode", "cuda", "-c", "-B", "409600", "--tcpd-phys-len", "4096")));
        assertTrue(small.getMessage().startsWith("--tcpd-phys-len 4096 is too small"), small.getMessage());
    }
}
