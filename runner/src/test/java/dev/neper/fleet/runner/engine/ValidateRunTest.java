package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.contract.ValidationReport;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --tcpd-validate end to end in host memory mode, across two network namespaces: the client sends the
 * pattern, the server checks every byte it receives and reports the counts in its output and report.
 */
class ValidateRunTest {
    @Test
    void everyReceivedByteIsValidated() {
        try (NetnsPair pair = NetnsPair.create("validate", 36)) {
            List<String> common = List.of("-H", pair.addressB(), "-l", "2", "--tcpd-validate", "-T", "2", "-F", "3",
                    "-B", "65536");
            try (RunnerProcess server = RunnerProcess.start(pair.namespaceB(), concat(common, List.of("-s", "30")));
                 RunnerProcess client = RunnerProcess.start(pair.namespaceA(), concat(common,
                         List.of("-c", "--connect-retries", "10")))) {
                assertEquals(0, client.awaitExit(30), client.stderr());
                assertEquals(0, server.awaitExit(30), server.stderr());
                RunReport s = server.report();
                ValidationReport v = s.validation();
                assertTrue(s.bytesReceived() > 0);
                assertEquals(s.bytesReceived(), v.validatedBytes(), "every received byte was checked");
                assertEquals(0, v.mismatches());
                assertNull(v.firstMismatch());
                assertNull(client.report().validation(), "a pure sender validates nothing");
                Map<String, String> kv = server.keyValues();
                assertEquals(String.valueOf(v.validatedBytes()), kv.get("validated_bytes"));
                assertEquals("0", kv.get("validation_mismatches"));
                List<String> keys = server.keys();
                int remote = keys.indexOf("remote_throughput");
                assertEquals(List.of("refused_data_connections", "validated_bytes", "validation_mismatches"),
                        keys.subList(remote + 1, keys.size()),
                        "the runner's keys come after neper's");
                assertNull(s.devmem());
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
