package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The discover result as a termination message: at most 4096 bytes for 8 NICs and 8 GPUs, read tolerantly. */
class NodeTopologiesTest {
    private static final String LONG_PROBLEM = "devmem-rx: eth1: driver gve has no devmem RX queue API (bind-rx EOPNOTSUPP:"
            + " \"the driver has no queue management ops\"), so no dma-buf can be bound to its RX queues for device"
            + " memory TCP on this kernel";

    /** A node as large as A3 Mega gets: 8 data NICs, the host NIC, lo, 8 GPUs, every text at its longest. */
    static NodeTopology worstA3Mega() {
        List<NetworkDevice> devices = new ArrayList<>();
        devices.add(new NetworkDevice("lo", 1, "unknown", null, 65536, List.of("127.0.0.1/8", "::1/128"), null, null,
                null, null, 1, null, List.of(), null, new DevmemCapability(false, List.of("loopback: carries no devmem"))));
        for (int i = 0; i <= 8; i++) {
            String pci = String.format("0000:%02x:00.0", 0x80 + i);
            devices.add(new NetworkDevice("eth" + i, i + 2, "up", 200000, 8244, List.of("192.168.10" + i + ".123/32",
                    "2600:1900:4000:abcd:0:" + i + "::/96", "fe80::4001:c0ff:fea8:" + (100 + i) + "/64"), "gve", pci, i < 4 ? 0 : 1,
                    i < 4 ? "0-51,104-155" : "52-103,156-207", 16, true,
                    List.of(String.format("0000:%02x:00.0", 0x84 + i), String.format("0000:%02x:00.1", 0x84 + i)),
                    "pcie-bridge 0000:81:00.0", new DevmemCapability(false, List.of(LONG_PROBLEM, LONG_PROBLEM))));
        }
        List<GpuDevice> gpus = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            gpus.add(new GpuDevice(String.format("0000:%02x:00.0", 0x84 + i), "0x2330", i < 4 ? 0 : 1));
        }
        return new NodeTopology(NodeTopology.SCHEMA_VERSION, "0.1.0-SNAPSHOT", "6.18.44-fc-v782", devices, gpus, false,
                List.of());
    }

    @Test
    void eightNicsAndEightGpusFit() throws Exception {
        NodeTopology full = worstA3Mega();
        assertTrue(NodeTopologies.bytes(full) > NodeTopology.MAX_BYTES, "the full form does not fit: "
                + NodeTopologies.bytes(full));
        NodeTopology compact = NodeTopologies.compact(full);
        int bytes = NodeTopologies.bytes(compact);
        assertTrue(bytes <= NodeTopology.MAX_BYTES, bytes + " bytes");
        assertTrue(compact.truncated());
        assertEquals(List.of("lo"), compact.omitted());
        assertEquals(9, compact.devices().size());
        NetworkDevice eth8 = compact.devices().getLast();
        assertEquals(List.of("192.168.108.123/32", "2600:1900:4000:abcd:0:8::/96"), eth8.addresses(),
                "only the link-local address went");
        assertEquals("0000:88:00.0", eth8.pci());
        assertEquals("52-103,156-207", eth8.cpus());
        assertEquals(2, eth8.gpus().size());
        assertFalse(eth8.devmem().capable());
        assertEquals(8, compact.gpus().size());
    }

    @Test
    void aSmallNodeIsKeptWhole() {
        NodeTopology small = new NodeTopology(1, "v", "6.18", List.of(worstA3Mega().devices().get(1)), List.of(), false,
                List.of());
        assertEquals(small, NodeTopologies.compact(small));
    }

    /** A reader of this version takes a newer runner's document: unknown fields at every level are skipped. */
    @Test
    void readersIgnoreNewerFields() throws Exception {
        String json = """
                {"schemaVersion":2,"runnerVersion":"9.9","kernel":"7.1","truncated":false,"omitted":[],
                 "rails":[1,2],"devices":[{"name":"eth1","state":"up","pci":"0000:06:00.0","gpus":["0000:04:00.0"],
                 "queueLeases":{"x":1},"devmem":{"capable":true,"problems":[],"autorelease":true}}],
                 "gpus":[{"pci":"0000:04:00.0","numa":0,"nvlink":"x"}]}
                """;
        NodeTopology t = ReportJson.fromJson(json, NodeTopology.class);
        assertEquals(2, t.schemaVersion());
        assertEquals("0000:06:00.0", t.devices().getFirst().pci());
        assertTrue(t.devices().getFirst().devmem().capable());
        assertEquals(List.of(), t.devices().getFirst().addresses(), "a missing list reads as empty");
        assertEquals(0, t.gpus().getFirst().numa());
    }
}
