package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A devmem run where the hardware is missing (veth, no udmabuf, no GPU) fails at once with the precise reason. */
class DevmemRunTest {
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("devmemrun", 35);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    @Test
    void receiverOnVethNamesTheLinkAndTheDriver() {
        try (RunnerProcess server = RunnerProcess.start(pair.namespaceA(), List.of("--mode", "udmabuf", "-H",
                pair.addressA(), "--tcpd-src-ip", pair.addressB(), "--queue-start", "1", "--queue-num", "1", "-l", "2"))) {
            assertEquals(1, server.awaitExit(30));
            assertEquals("neper-runner: UNSUPPORTED: eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)",
                    server.stderr().strip());
            RunReport report = server.report();
            assertFalse(report.succeeded());
            assertEquals(List.of(new RunError(ErrorKind.UNSUPPORTED,
                    "eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)")), report.errors());
        }
    }

    @Test
    void senderOnVethNamesTheMissingNetmemTx() {
        try (RunnerProcess client = RunnerProcess.start(pair.namespaceB(), List.of("--mode", "cuda", "-c", "-H",
                pair.addressA(), "-l", "2", "--connect-retries", "1"))) {
            assertEquals(1, client.awaitExit(30));
            assertTrue(client.stderr().contains("UNSUPPORTED: eth1: driver veth has no devmem TX support (netmem_tx)"
                    + " (bind-tx EOPNOTSUPP: \"Driver does not support netmem TX\")"), client.stderr());
        }
    }

    @Test
    void aMissingLinkIsNamed() {
        try (RunnerProcess server = RunnerProcess.start(pair.namespaceA(), List.of("--mode", "udmabuf",
                "--tcpd-link-name", "eth7", "-H", pair.addressA(), "--queue-start", "1", "--queue-num", "1"))) {
            assertEquals(1, server.awaitExit(30));
            assertTrue(server.stderr().contains("UNSUPPORTED: eth7: no such network interface in this network namespace"),
                    server.stderr());
        }
    }
}
