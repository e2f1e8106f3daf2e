package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class OptionParserTest {
    static Options parse(String... args) throws UsageException {
        return assertInstanceOf(ParsedCommand.Run.class, OptionParser.parse(List.of(args))).options();
    }

    static String error(String... args) {
        return assertThrows(UsageException.class, () -> OptionParser.parse(List.of(args))).getMessage();
    }

    /** Every flag the issue lists, by long and (where neper has one) short name, with a non-default value. */
    static Stream<Arguments> everyFlag() {
        return Stream.of(
                Arguments.of(List.of("--client", "-H", "h"), List.of("-c", "-H", "h"), OptionSpec.CLIENT, true),
                Arguments.of(List.of("--host", "198.18.0.1"), List.of("-H", "198.18.0.1"), OptionSpec.HOST, "198.18.0.1"),
                Arguments.of(List.of("--control-port", "2000"), List.of("-C", "2000"), OptionSpec.CONTROL_PORT, 2000),
                Arguments.of(List.of("--port", "3000"), List.of("-P", "3000"), OptionSpec.PORT, 3000),
                Arguments.of(List.of("--num-ports", "4"), null, OptionSpec.NUM_PORTS, 4),
                Arguments.of(List.of("-c", "--source-port", "5000"), null, OptionSpec.SOURCE_PORT, 5000),
                Arguments.of(List.of("--num-threads", "2", "-F", "2"), List.of("-T", "2", "-F", "2"), OptionSpec.NUM_THREADS, 2),
                Arguments.of(List.of("--num-flows", "8"), List.of("-F", "8"), OptionSpec.NUM_FLOWS, 8),
                Arguments.of(List.of("--test-length", "30"), List.of("-l", "30"), OptionSpec.TEST_LENGTH, 30),
                Arguments.of(List.of("--suicide-length", "60"), List.of("-s", "60"), OptionSpec.SUICIDE_LENGTH, 60),
                Arguments.of(List.of("--buffer-size", "409600"), List.of("-B", "409600"), OptionSpec.BUFFER_SIZE, 409600),
                Arguments.of(List.of("--interval", "0.5"), List.of("-I", "0.5"), OptionSpec.INTERVAL, 0.5),
                Arguments.of(List.of("--enable-read", "-c"), List.of("-r", "-c"), OptionSpec.ENABLE_READ, true),
                Arguments.of(List.of("--enable-write"), List.of("-w"), OptionSpec.ENABLE_WRITE, true),
                Arguments.of(List.of("--enable-tcp-maerts"), List.of("-M"), OptionSpec.ENABLE_TCP_MAERTS, true),
                Arguments.of(List.of("--max-pacing-rate", "100Mb"), List.of("-m", "100Mb"), OptionSpec.MAX_PACING_RATE, 12_500_000L),
                Arguments.of(List.of("--ipv4"), List.of("-4"), OptionSpec.IPV4, true),
                Arguments.of(List.of("--ipv6"), List.of("-6"), OptionSpec.IPV6, true),
                Arguments.of(List.of("-c", "--local-hosts", "198.18.0.1"), List.of("-c", "-L", "198.18.0.1"), OptionSpec.LOCAL_HOSTS, "198.18.0.1"),
                Arguments.of(List.of("--listen-backlog", "64"), null, OptionSpec.LISTEN_BACKLOG, 64),
                Arguments.of(List.of("--magic", "7"), null, OptionSpec.MAGIC, 7),
                Arguments.of(List.of("--num-clients", "3"), null, OptionSpec.NUM_CLIENTS, 3),
                Arguments.of(List.of("--nolog"), null, OptionSpec.NOLOG, true),
                Arguments.of(List.of("--logtostderr"), null, OptionSpec.LOGTOSTDERR, true),
                Arguments.of(List.of("--all-samples=s.csv"), List.of("-As.csv"), OptionSpec.ALL_SAMPLES, "s.csv"),
                Arguments.of(List.of("--throughput-opt", "Gb"), null, OptionSpec.THROUGHPUT_OPT, ThroughputUnit.GIGABITS),
                Arguments.of(List.of("--pin-cpu"), List.of("-U"), OptionSpec.PIN_CPU, true),
                Arguments.of(List.of("--time-wait"), null, OptionSpec.TIME_WAIT, true),
                Arguments.of(List.of("--no-delay"), null, OptionSpec.NO_DELAY, true),
                Arguments.of(List.of("--no-cork"), null, OptionSpec.NO_CORK, true),
                Arguments.of(List.of("--congestion-control", "reno"), null, OptionSpec.CONGESTION_CONTROL, "reno"),
                Arguments.of(List.of("--mark", "9"), null, OptionSpec.MARK, 9),
                Arguments.of(List.of("--tcp-tx-delay", "100"), List.of("-t", "100"), OptionSpec.TCP_TX_DELAY, 100),
                Arguments.of(List.of("--dry-run"), List.of("-n"), OptionSpec.DRY_RUN, true),
                Arguments.of(List.of("--report-json", "r.json"), null, OptionSpec.REPORT_JSON, "r.json"),
                Arguments.of(List.of("--connect-retries", "3"), null, OptionSpec.CONNECT_RETRIES, 3),
                Arguments.of(List.of("--async-connect"), null, OptionSpec.ASYNC_CONNECT, true),
                Arguments.of(List.of("--debug"), List.of("-d"), OptionSpec.DEBUG, true),
                Arguments.of(List.of("--delay", "1500"), List.of("-D", "1500"), OptionSpec.DELAY, 1500L),
                Arguments.of(List.of("--delay", "20us"), List.of("-D", "20us"), OptionSpec.DELAY, 20_000L),
                Arguments.of(List.of("--delay", "3ms"), List.of("-D3ms"), OptionSpec.DELAY, 3_000_000L),
                Arguments.of(List.of("--delay", "2s"), null, OptionSpec.DELAY, 2_000_000_000L),
                Arguments.of(List.of("--edge-trigger"), List.of("-E"), OptionSpec.EDGE_TRIGGER, true),
                Arguments.of(List.of("--freebind"), null, OptionSpec.FREEBIND, true),
                Arguments.of(List.of("--iostat-ms", "250"), null, OptionSpec.IOSTAT_MS, 250L),
                Arguments.of(List.of("--maxevents", "16"), null, OptionSpec.MAXEVENTS, 16),
                Arguments.of(List.of("--nonblocking"), null, OptionSpec.NONBLOCKING, true),
                Arguments.of(List.of("--reuseaddr"), List.of("-R"), OptionSpec.REUSEADDR, true),
                Arguments.of(List.of("--rx-zerocopy"), List.of("-z"), OptionSpec.RX_ZEROCOPY, true),
                Arguments.of(List.of("--skip-rx-copy"), null, OptionSpec.SKIP_RX_COPY, true),
                Arguments.of(List.of("--split-bidir"), null, OptionSpec.SPLIT_BIDIR, true),
                Arguments.of(List.of("--stime-use-proc"), List.of("-S"), OptionSpec.STIME_USE_PROC, true),
                Arguments.of(List.of("--tcp-fastopen"), List.of("-X"), OptionSpec.TCP_FASTOPEN, true),
                Arguments.of(List.of("-c", "--wait-start", "2"), null, OptionSpec.WAIT_START, 2L),
                Arguments.of(List.of("--zerocopy"), List.of("-Z"), OptionSpec.ZEROCOPY, true),
                Arguments.of(List.of("--pin-numa"), List.of("-N"), OptionSpec.PIN_NUMA, true));
    }

    @Test
    void splitBidirDoublesTheFlowsBothWaysAndWritesBackWhatWasGiven() throws UsageException {
        Options o = parse("-c", "-F", "3", "--split-bidir");
        assertEquals(6, o.numFlows());
        assertTrue(o.enableRead() && o.enableWrite());
        assertTrue(o.dumpLines().contains("num_flows=6"));
        assertEquals(o, parse(o.toArgs().toArray(String[]::new)));
    }

    @ParameterizedTest
    @MethodSource("everyFlag")
    void everyFlagParsesByLongAndShortName(List<String> longForm, List<String> shortForm, OptionSpec option,
                                           Object expected) throws UsageException {
        assertEquals(expected, parse(longForm.toArray(String[]::new)).get(option));
        if (shortForm != null) {
            assertEquals(expected, parse(shortForm.toArray(String[]::new)).get(option));
        }
        List<String> attached = new ArrayList<>(longForm);
        if (option.takesArgument() && longForm.size() >= 2 && longForm.getFirst().equals("--" + option.longName())) {
            attached.set(0, longForm.get(0) + "=" + longForm.get(1));
            attached.remove(1);
            assertEquals(expected, parse(attached.toArray(String[]::new)).get(option));
        }
    }

    @Test
    void defaultsAreNepers() throws UsageException {
        Options o = parse();
        assertEquals(12866, o.controlPort());
        assertEquals(12867, o.port());
        assertEquals(1, o.numThreads());
        assertEquals(1, o.numFlows());
        assertEquals(10, o.testLength());
        assertEquals(16384, o.bufferSize());
        assertEquals(42, o.magic());
        assertEquals(1.0, o.interval());
        assertEquals(128, o.listenBacklog());
        assertEquals(-1, o.sourcePort());
        assertEquals(ThroughputUnit.MEGABITS, o.throughputOpt());
    }

    @Test
    void directionsFollowTheRoleAsInNepersMain() throws UsageException {
        Options server = parse();
        assertTrue(server.enableRead() && !server.enableWrite());
        Options client = parse("-c");
        assertTrue(client.enableWrite() && !client.enableRead());
        Options bidirectional = parse("-c", "-rw");
        assertTrue(bidirectional.enableWrite() && bidirectional.enableRead());
        Options maertsServer = parse("-M");
        assertTrue(maertsServer.enableWrite() && !maertsServer.enableRead());
        Options maertsClient = parse("-c", "-M", "-w");
        assertTrue(maertsClient.enableRead() && !maertsClient.enableWrite());
    }

    @Test
    void bundlesAttachedArgumentsAndAbbreviations() throws UsageException {
        Options o = parse("-cT2", "-F8", "--num-fl", "8", "-l5");
        assertTrue(o.client());
        assertEquals(2, o.numThreads());
        assertEquals(8, o.numFlows());
        assertEquals(5, o.testLength());
        assertEquals("samples.csv", parse("-A").allSamples());
        assertEquals("samples.csv", parse("--all-samples").allSamples());
    }

    @Test
    void helpAndVersion() throws UsageException {
        assertInstanceOf(ParsedCommand.ShowHelp.class, OptionParser.parse(List.of("-h")));
        assertInstanceOf(ParsedCommand.ShowHelp.class, OptionParser.parse(List.of("--help")));
        assertInstanceOf(ParsedCommand.ShowVersion.class, OptionParser.parse(List.of("-V")));
        assertInstanceOf(ParsedCommand.ShowVersion.class, OptionParser.parse(List.of("--version")));
        String usage = OptionParser.usage("neper-runner");
        for (OptionSpec o : OptionSpec.values()) {
            assertTrue(usage.contains("--" + o.longName()), o.longName());
        }
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "unrecognized option '--bogus'"),
                Arguments.of(List.of("-Q"), "invalid option -- 'Q'"),
                Arguments.of(List.of("-F"), "option requires an argument -- 'F'"),
                Arguments.of(List.of("--num-flows"), "option '--num-flows' requires an argument"),
                Arguments.of(List.of("--num-flows", "two"), "invalid value 'two' for --num-flows: not an integer"),
                Arguments.of(List.of("-F", "12abc"), "invalid value '12abc' for --num-flows: not an integer"),
                Arguments.of(List.of("--client=yes"), "option '--client' doesn't allow an argument"),
                Arguments.of(List.of("--num"), "option '--num' is ambiguous"),
                Arguments.of(List.of("-P", "70000"), "invalid value '70000' for --port: not a port (1..65535)"),
                Arguments.of(List.of("-I", "fast"), "invalid value 'fast' for --interval: not a number"),
                Arguments.of(List.of("-m", "100Xb"), "unknown rate suffix 'Xb'"),
                Arguments.of(List.of("-m", "Mb"), "invalid value 'Mb' for --max-pacing-rate: no number found"),
                Arguments.of(List.of("--throughput-opt", "parsecs"), "invalid value 'parsecs' for --throughput-opt"),
                Arguments.of(List.of("--mode", "gpu"), "not a memory mode (host, udmabuf, cuda)"),
                Arguments.of(List.of("stray"), "unexpected argument 'stray'"),
                Arguments.of(List.of("--", "stray"), "unexpected argument 'stray'"),
                Arguments.of(List.of("-F", "0"), "There must be at least 1 flow."),
                Arguments.of(List.of("-T", "0"), "There must be at least 1 thread."),
                Arguments.of(List.of("-c", "-T", "4", "-F", "2"), "There should not be fewer flows than threads."),
                Arguments.of(List.of("-B", "0"), "Buffer size must be positive."),
                Arguments.of(List.of("-L", "198.18.0.1"), "local_hosts may only be set for clients."),
                Arguments.of(List.of("-l", "0"), "Test length must be at least 1 second."),
                Arguments.of(List.of("-I", "0"), "Interval must be positive."),
                Arguments.of(List.of("--logtostderr", "--nolog"), "--logtostderr and --nolog are mutually exclusive."),
                Arguments.of(List.of("--listen-backlog", "100000000"), "listen() backlog cannot exceed"),
                Arguments.of(List.of("-c", "--source-port", "65535", "-F", "2"), "Source ports need to be in the range"),
                Arguments.of(List.of("-c", "-L", "198.18.0.1", "--source-port", "5000"), "localhosts may not be specified"),
                Arguments.of(List.of("--queue-start", "2"), "--queue-start configures device memory and needs --mode"),
                Arguments.of(List.of("--mode", "cuda", "-T", "2", "-F", "2"), "needs num_threads = num_flows = num_ports"),
                Arguments.of(List.of("-D", "fast"), "invalid value 'fast' for --delay: not a duration"),
                Arguments.of(List.of("-D", "5 min"), "invalid value '5 min' for --delay: not a duration"),
                Arguments.of(List.of("-D", "-1"), "invalid value '-1' for --delay: not a duration"),
                Arguments.of(List.of("-D", "99999999999s"), "invalid value '99999999999s' for --delay: out of range"),
                Arguments.of(List.of("--iostat-ms", "-5"), "invalid value '-5' for --iostat-ms: not a non-negative integer"),
                Arguments.of(List.of("--maxevents", "0"), "Number of epoll events must be positive."),
                Arguments.of(List.of("--wait-start", "3"), "The wait-start option is only valid for clients."),
                Arguments.of(List.of("-c", "--wait-start", "x"), "invalid value 'x' for --wait-start"),
                Arguments.of(List.of("-z", "--skip-rx-copy"), "TCP RX zerocopy is not supported in conjunction RX copy skip."),
                Arguments.of(List.of("--edge-trigger=1"), "option '--edge-trigger' doesn't allow an argument"),
                Arguments.of(List.of("--mode", "udmabuf", "--skip-rx-copy"), "--skip-rx-copy receives into host memory"),
                Arguments.of(List.of("-c", "-H", "999.1.1.1"), "-H/--host 999.1.1.1 is not an IPv4 or IPv6 address"),
                Arguments.of(List.of("-c", "-H", "198.18.0.1.7"), "-H/--host 198.18.0.1.7 is not an IPv4 or IPv6 address"),
                Arguments.of(List.of("-c", "-H", "fe80::1::2"), "-H/--host fe80::1::2 is not an IPv4 or IPv6 address"),
                Arguments.of(List.of("-c", "-H", ""), "-H/--host needs a host name or IP address, got ''"),
                Arguments.of(List.of("-c", "-L", "198.18.0.300"), "-L/--local-hosts 198.18.0.300 is not an IPv4 or IPv6"),
                Arguments.of(List.of("--report-json", ""), "--report-json needs a file name ('-' for stdout), got ''"),
                Arguments.of(List.of("--all-samples="), "-A/--all-samples needs a file name, got ''"),
                Arguments.of(List.of("--mark", "4294967296"), "invalid value '4294967296' for --mark: not a 32-bit unsigned"),
                Arguments.of(List.of("-B", "1073741824", "-T", "1024", "-F", "1024"), "-T 1024 -F 1024 -B 1073741824 needs"
                        + " 2199.02 GB of payload memory, more than the 68.72 GB a runner may take"),
                // on any node: 100000 flows and listeners past RLIMIT_NOFILE, or the threads past the node's room
                Arguments.of(List.of("-T", "100000", "-F", "100000"), "; this node has room for "));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLinesGetOneLineNamingTheProblem(List<String> args, String expected) {
        String message = error(args.toArray(String[]::new));
        assertTrue(message.contains(expected), () -> "'" + message + "' should contain '" + expected + "'");
        assertTrue(!message.contains("\n"), "one line");
    }

    @Test
    void markIsA32BitUnsignedValue() throws UsageException {
        Options top = parse("--mark", "4294967295");
        assertEquals(-1, top.mark(), "the bits SO_MARK gets");
        assertTrue(top.dumpLines().contains("mark=4294967295"));
        assertTrue(top.toArgs().contains("--mark=4294967295"), top.toArgs().toString());
        assertEquals(7, parse("--mark", "7").mark());
    }

    @Test
    void dumpIsEveryOptionInReverseDefinitionOrderWithNepersFormats() throws UsageException {
        List<String> lines = parse("-c", "-I", "0.5", "-m", "1Gb").dumpLines();
        OptionSpec[] all = OptionSpec.values();
        assertEquals(all.length, lines.size());
        for (int i = 0; i < all.length; i++) {
            assertTrue(lines.get(i).startsWith(all[all.length - 1 - i].variableName() + "="), lines.get(i));
        }
        assertTrue(lines.contains("client=1"));
        assertTrue(lines.contains("enable_read=0"));
        assertTrue(lines.contains("interval=0.500000"));
        assertTrue(lines.contains("max_pacing_rate=125000000"));
        assertTrue(lines.contains("host="));
        assertTrue(lines.contains("throughput_opt=Mb"));
        assertTrue(lines.contains("control_port=12866"));
    }

    @Test
    void toArgsParsesBackToTheSameOptions() throws UsageException {
        Options original = parse("-c", "-H", "198.18.0.2", "-T", "2", "-F", "8", "-l", "3", "-I", "0.25", "-m", "10Gb",
                "--throughput-opt", "auto-b", "--congestion-control", "cubic", "--no-cork", "-A", "--num-ports", "2");
        Options reparsed = parse(original.toArgs().toArray(String[]::new));
        assertEquals(original, reparsed);
    }

    @Test
    void jsonMapRoundTrips() throws UsageException {
        Options original = parse("-c", "-F", "4", "-T", "2", "--throughput-opt", "GiB", "-m", "3Mb");
        assertEquals(original, Options.fromMap(original.asMap()));
    }
}
