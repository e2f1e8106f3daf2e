package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.report.FlowReport;
import dev.neper.fleet.runner.report.RunReport;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackRunTest {
    @Test
    void singleFlowBytesAgree() {
        int base = Ports.freeBlock(2);
        List<String> common = List.of("-H", "127.0.0.1", "-C", String.valueOf(base), "-P", String.valueOf(base + 1), "-l", "2");
        try (RunnerProcess server = RunnerProcess.start(concat(common, List.of("-s", "30")));
             RunnerProcess client = RunnerProcess.start(concat(common, List.of("-c", "--connect-retries", "10")))) {
            assertEquals(0, client.awaitExit(30), client.stderr());
            assertEquals(0, server.awaitExit(30), server.stderr());
            RunReport s = server.report();
            RunReport c = client.report();
            assertTrue(s.bytesReceived() > 0);
            assertEquals(c.bytesSent(), s.bytesReceived());
            FlowReport f = s.flows().getFirst();
            assertEquals(c.flows().getFirst().localAddress(), f.remoteAddress());
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
