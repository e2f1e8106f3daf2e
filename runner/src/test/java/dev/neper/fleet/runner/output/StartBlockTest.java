package dev.neper.fleet.runner.output;

import dev.neper.fleet.runner.contract.OptionParser;
import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.contract.ParsedCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's start block against the C tool's, captured once from google/neper's tcp_stream of
 * both branches (src/test/resources/neper/tcp_stream-*.txt, each with the command line it was
 * captured for): every line the C tool prints, with the same value, in the same order.
 */
class StartBlockTest {
    /** What the runner prints that a C build without libnuma and devmem does not. */
    private static final Set<String> RUNNER_ONLY = Set.of("pin_numa", "tcpd_validate", "tcpd_rx_cpy",
            "tcpd_nic_pci_addr", "tcpd_gpu_pci_addr", "tcpd_phys_len", "tcpd_src_ip", "tcpd_dst_ip",
            "tcpd_link_name", "queue_start", "queue_num", "mode", "report_json", "connect_retries", "bind_device");
    /** Options of master the tcpd branch lacks. */
    private static final Set<String> MASTER_ONLY = Set.of("no_cork", "rx_zerocopy", "no_delay", "congestion_control");

    private record Capture(List<String> args, List<String> lines) {
        List<String> names() {
            return lines.stream().map(StartBlockTest::name).toList();
        }
    }

    private static Capture capture(String name) throws IOException {
        try (InputStream in = StartBlockTest.class.getResourceAsStream("/neper/tcp_stream-" + name + ".txt")) {
            List<String> all = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            String argsLine = all.stream().filter(l -> l.startsWith("# args: ")).findFirst().orElseThrow();
            return new Capture(Arrays.asList(argsLine.substring("# args: ".length()).split(" ")),
                    all.stream().filter(l -> !l.startsWith("#")).toList());
        }
    }

    private static String name(String line) {
        return line.substring(0, line.indexOf('='));
    }

    private static List<String> runnerStartBlock(List<String> args) throws Exception {
        Options options = assertInstanceOf(ParsedCommand.Run.class, OptionParser.parse(args)).options();
        return NeperOutput.startLines(options, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"master-default", "master-client", "tcpd-default", "tcpd-client"})
    void everyLineTheCToolPrintsWithItsValueInItsOrder(String captured) throws Exception {
        Capture c = capture(captured);
        List<String> ours = runnerStartBlock(c.args());
        for (String line : c.lines()) {
            assertTrue(ours.contains(line), () -> "the runner prints no '" + line + "' for " + c.args());
        }
        // tcpd moved mark among the common options; the runner keeps master's place for it
        List<String> order = c.names().stream().filter(n -> !(captured.startsWith("tcpd") && n.equals("mark"))).toList();
        List<String> oursInTheirs = ours.stream().map(StartBlockTest::name).filter(order::contains).toList();
        assertEquals(order, oursInTheirs);
    }

    @Test
    void theRunnerPrintsNothingElseButTheOptionsOfLibnumaAndDevmemBuildsAndItsOwn() throws Exception {
        Set<String> extra = new LinkedHashSet<>(runnerStartBlock(List.of("-n")).stream().map(StartBlockTest::name).toList());
        extra.removeAll(capture("master-default").names());
        assertEquals(RUNNER_ONLY, extra);
        Set<String> tcpdLacks = new LinkedHashSet<>(capture("master-default").names());
        tcpdLacks.removeAll(capture("tcpd-default").names());
        assertEquals(MASTER_ONLY, tcpdLacks);
    }

    /**
     * Where builds the captures do not cover print their options (read off define_all_flags.c): a
     * libnuma build defines pin_numa after tcp_fastopen, a devmem build of tcpd its device-memory
     * options after async_connect, so the dump prints them just before.
     */
    @Test
    void libnumaAndDevmemOptionsWhereThoseBuildsPrintThem() throws Exception {
        List<String> names = runnerStartBlock(List.of("-n")).stream().map(StartBlockTest::name).toList();
        assertEquals(names.indexOf("tcp_tx_delay") + 1, names.indexOf("pin_numa"));
        assertEquals(names.indexOf("pin_numa") + 1, names.indexOf("tcp_fastopen"));
        List<String> devmem = Stream.of(OptionSpec.values()).filter(o -> o.group() == OptionSpec.Group.DEVMEM)
                .map(OptionSpec::variableName).toList();
        List<String> tcpdOrder = new ArrayList<>(devmem.reversed());
        tcpdOrder.add("async_connect");
        List<String> tcpdNames = names.stream().filter(n -> tcpdOrder.contains(n)).toList();
        assertEquals(tcpdOrder, tcpdNames);
    }
}
