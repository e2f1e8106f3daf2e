package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.RunnerPair;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two hosts (network namespaces) joined by a veth pair: a 2-flow run across it. */
class StreamRunVethTest {
    @Test
    void twoFlowsCrossTheVethPair() {
        try (NetnsPair hosts = NetnsPair.create("veth", 0)) {
            long rxBefore = rxBytes(hosts, hosts.namespaceA());
            List<String> common = List.of("-T", "2", "-F", "2", "-l", "2", "--num-ports", "2");
            List<String> server = StreamRunLoopbackTest.concat(common, List.of("-H", hosts.addressA()));
            List<String> client = StreamRunLoopbackTest.concat(common, List.of("-H", hosts.addressA()));
            try (RunnerPair pair = RunnerPair.start(hosts.namespaceA(), hosts.namespaceB(), server, client)) {
                pair.awaitSuccess(60);
                RunReport s = pair.server().report();
                RunReport c = pair.client().report();
                assertEquals(2, s.flows().size());
                for (FlowReport f : s.flows()) {
                    assertTrue(f.localAddress().contains(hosts.addressA()), f.localAddress());
                    assertTrue(f.remoteAddress().contains(hosts.addressB()), f.remoteAddress());
                    assertTrue(f.bytesReceived() > 0);
                }
                assertEquals(c.bytesSent(), s.bytesReceived());
                assertEquals(hosts.addressA() + ":" + s.options().controlPort(),
                        c.controlPeer().replaceFirst("^.*/", ""));
                assertTrue(rxBytes(hosts, hosts.namespaceA()) - rxBefore >= s.bytesReceived(),
                        "the payload crossed the veth");
            }
        }
    }

    private static long rxBytes(NetnsPair hosts, String ns) {
        return Long.parseLong(hosts.exec(ns, "cat", "/sys/class/net/eth1/statistics/rx_bytes").trim());
    }
}
