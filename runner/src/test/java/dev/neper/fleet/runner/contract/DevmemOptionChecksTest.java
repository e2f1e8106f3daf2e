package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class DevmemOptionChecksTest {
    private static Options parse(String... args) throws UsageException {
        return assertInstanceOf(ParsedCommand.Run.class, OptionParser.parse(List.of(args))).options();
    }

    private static String refusal(String... args) {
        return assertThrows(UsageException.class, () -> OptionParser.parse(List.of(args))).getMessage();
    }

    @Test
    void validationWorksInHostMode() throws Exception {
        Options o = parse("--tcpd-validate");
        assertTrue(o.tcpdValidate());
        assertEquals(MemoryMode.HOST, o.mode());
    }

    @Test
    void dataSocketsBindToTheDevmemLinkAndOnlyThere() throws Exception {
        assertEquals("eth3", parse("--mode", "udmabuf", "-c", "--tcpd-link-name", "eth3").dataSocketDevice());
        assertEquals("eth3", parse("--mode", "cuda", "--tcpd-link-name", "eth3", "--bind-device", "eth3")
                .dataSocketDevice());
        assertEquals("eth2", parse("-c", "--bind-device", "eth2").dataSocketDevice());
        assertEquals(null, parse("-c").dataSocketDevice());
        assertEquals("--mode udmabuf binds its data sockets to the devmem link: --bind-device (eth2) must be"
                + " --tcpd-link-name (eth1) or left out.", refusal("--mode", "udmabuf", "-c", "--bind-device", "eth2"));
    }

    @Test
    void devmemFlagsNeedADevmemMode() {
        assertEquals("--tcpd-rx-cpy configures device memory and needs --mode udmabuf or --mode cuda (this run is"
                + " --mode host)", refusal("--tcpd-rx-cpy"));
        assertTrue(refusal("--queue-start", "2").startsWith("--queue-start configures device memory"));
    }

    @Test
    void devmemNeedsOneFlowPerThreadAndPort() throws Exception {
        assertTrue(refusal("--mode", "udmabuf", "-T", "2", "-F", "2").contains("num_threads = num_flows = num_ports"));
        Options o = parse("--mode", "cuda", "-T", "2", "-F", "2", "--num-ports", "2", "--tcpd-phys-len", "2147483648",
                "--tcpd-gpu-pci-addr", "0000:04:00.0", "--queue-start", "2", "--queue-num", "2", "--tcpd-rx-cpy");
        assertEquals(MemoryMode.CUDA, o.mode());
        assertEquals(2147483648L, o.tcpdPhysLen());
        assertEquals("0000:04:00.0", o.tcpdGpuPciAddr());
        assertEquals(2, o.queueStart());
        assertEquals("eth1", o.tcpdLinkName());
    }

    @Test
    void aReceiverNeedsAQueuePerFlowAndRssAQueueBelowThem() {
        assertTrue(refusal("--mode", "udmabuf", "-T", "4", "-F", "4", "--num-ports", "4", "--queue-num", "2")
                .contains("num_flows (4) must not exceed --queue-num (2)"));
        assertTrue(refusal("--mode", "udmabuf", "--queue-start", "0").startsWith("--queue-start must be at least 1"));
    }

    @Test
    void devmemIsOneWayPerSide() {
        assertTrue(refusal("--mode", "udmabuf", "-c", "-r").contains("cannot both read and write"));
    }
}
