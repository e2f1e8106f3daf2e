package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's multi_neper.py command lines (src/test/resources/seed/multi_neper-examples.txt, verbatim)
 * run unchanged by `neper-runner multi` between two hosts joined by four veth links, in host mode
 * (NEPER_MODE=host, since veth has no device memory). Only the shell variables the instructions set
 * differ: the links' names and their addresses in 198.18.0.0/15.
 */
class SeedCommandLinesVethTest {
    private static final int LINKS = 4;

    /** The example blocks by their comment line ("Rx (host)", "Tx (client)", "dry run"), continuation lines joined. */
    static Map<String, String> examples() throws IOException {
        Map<String, String> blocks = new LinkedHashMap<>();
        String title = null;
        StringBuilder command = new StringBuilder();
        try (InputStream in = SeedCommandLinesVethTest.class.getResourceAsStream("/seed/multi_neper-examples.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.startsWith("# ")) {
                    title = line.substring(2);
                } else if (!line.isBlank() && title != null) {
                    command.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line).append(' ');
                    if (!line.endsWith("\\")) {
                        blocks.put(title, command.toString().trim());
                        command.setLength(0);
                    }
                }
            }
        }
        return blocks;
    }

    /** The words of a command line with $VARIABLES replaced, the script's name replaced by the subcommand. */
    static List<String> words(String commandLine, Map<String, String> variables) {
        List<String> words = new ArrayList<>();
        for (String word : commandLine.split("\\s+")) {
            words.add(word.startsWith("$") ? variables.get(word.substring(1)) : word);
        }
        assertEquals("./multi_neper.py", words.getFirst());
        words.set(0, MultiNeperMain.SUBCOMMAND);
        return words;
    }

    @Test
    void theSeedsReceiverAndSenderRunOverFourVethLinks() throws Exception {
        Map<String, String> examples = examples();
        try (NetnsPair hosts = NetnsPair.create("seed", 60, LINKS)) {
            List<String> devices = new ArrayList<>();
            List<String> receivers = new ArrayList<>();
            List<String> senders = new ArrayList<>();
            for (int i = 1; i <= LINKS; i++) {
                devices.add("eth" + i);
                receivers.add(hosts.addressA(i));
                senders.add(hosts.addressB(i));
            }
            Map<String, String> variables = Map.of("FLOWS", "2", "BUF_SIZE", "409600", "DEVS", String.join(",", devices),
                    "DSTS", String.join(",", receivers), "SRCS", String.join(",", senders));
            Map<String, String> hostMode = Map.of(MultiNeperMain.MODE_OVERRIDE, "host");
            try (RunnerProcess rx = RunnerProcess.startExactly(hosts.namespaceA(),
                         words(examples.get("Rx (host)"), variables), hostMode);
                 RunnerProcess tx = RunnerProcess.startExactly(hosts.namespaceB(),
                         words(examples.get("Tx (client)"), variables), hostMode)) {
                assertEquals(0, tx.awaitExit(90), tx.stderr());
                assertEquals(0, rx.awaitExit(90), rx.stderr());
                List<String> throughput = rx.stdout().lines().toList();
                assertEquals(LINKS, throughput.size(), rx.stdout());
                for (int i = 0; i < LINKS; i++) {
                    String line = throughput.get(i);
                    assertTrue(line.matches("\\[eth" + (i + 1) + "] Throughput \\(Mb/s\\): [0-9]+\\.[0-9]{2}"), line);
                    assertTrue(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) > 0, line);
                }
                assertEquals("", tx.stdout(), "the sender prints no throughput lines, as the script's");
                for (RunnerProcess side : List.of(rx, tx)) {
                    String err = side.stderr();
                    assertTrue(err.contains("WARNING:root:--mode cuda overridden by NEPER_MODE=host"), err);
                    assertTrue(err.contains("DEBUG:root:running on ['eth1', 'eth2', 'eth3', 'eth4']"), err);
                    assertTrue(err.contains("DEBUG:root:parsing subprocesses outputs"), err);
                    assertTrue(err.contains("DEBUG:root:num_flows=2"), err);
                }
                assertTrue(rx.stderr().contains("INFO:root:setting up flow-steering rules"), rx.stderr());
                assertTrue(rx.stderr().contains("DEBUG:root:throughput_units=Mbit/s"), rx.stderr());
            }
        }
    }

    @Test
    void theSeedsDryRunPrintsTheLinksCommandLines() throws Exception {
        Map<String, String> variables = Map.of("FLOWS", "1", "BUF_SIZE", "409600", "DEVS", "eth1", "DSTS", "198.18.64.1",
                "SRCS", "198.18.64.2");
        try (RunnerProcess dry = RunnerProcess.startExactly(null, words(examples().get("dry run"), variables), Map.of())) {
            assertEquals(0, dry.awaitExit(60), dry.stderr());
            List<String> lines = dry.stderr().lines().toList();
            assertEquals("DEBUG:root:running on ['eth1']", lines.getFirst());
            assertTrue(lines.get(1).startsWith("DEBUG:root:[eth1] map: "), lines.get(1));
            assertTrue(lines.get(2).startsWith("DEBUG:root:('neper-runner ") && lines.get(2).contains("--mode=cuda")
                    && lines.get(2).contains("--host=198.18.64.1") && lines.get(2).contains("--tcpd-phys-len=2147483648"),
                    lines.get(2));
        }
    }
}
