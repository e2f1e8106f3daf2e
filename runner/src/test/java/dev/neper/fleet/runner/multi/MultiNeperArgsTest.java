package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiNeperArgsTest {
    private static MultiNeperArgs parse(String... args) throws UsageException {
        return MultiNeperArgs.parse(List.of(args));
    }

    @Test
    void defaultsAreTheScripts() throws UsageException {
        MultiNeperArgs a = parse("--hosts", "198.18.0.1", "--src-ips", "198.18.0.2");
        assertEquals(".", a.neperDir());
        assertEquals(4, a.threads());
        assertEquals(4, a.flows());
        assertEquals(12345, a.sourcePort());
        assertEquals(12345, a.port());
        assertEquals(12866, a.controlPort());
        assertEquals(List.of("eth1"), a.devices());
        assertEquals("4294967296", a.physLen());
        assertEquals("491520", a.bufferSize());
        assertFalse(a.client());
        assertEquals(8, a.queueStart());
        assertEquals(4, a.queueNum());
        assertFalse(a.tcpdValidate() || a.tcpdRxCpy() || a.dryRun());
        assertEquals("10", a.length());
        assertEquals("WARNING", a.log());
        assertEquals("cuda", a.mode());
    }

    @Test
    void everyFlagInEachSpelling() throws UsageException {
        MultiNeperArgs a = parse("-H", "198.18.0.1,198.18.1.1", "--src-ips=198.18.0.2,198.18.1.2", "--devices", "eth2,eth3",
                "--threads", "2", "--flows=3", "--source-port", "2000", "--port", "3000", "--control-port", "4000",
                "--phys-len", "1024", "--buffer-size", "8192", "-c", "--q-start", "2", "--q-num", "6",
                "--tcpd-validate", "--tcpd-rx-cpy", "--dry-run", "-l", "7", "--log", "debug", "-m", "UDMABUF",
                "--neper-dir", "/opt/neper");
        assertEquals(List.of("198.18.0.1", "198.18.1.1"), a.hosts());
        assertEquals(List.of("198.18.0.2", "198.18.1.2"), a.srcIps());
        assertEquals(List.of("eth2", "eth3"), a.devices());
        assertEquals(2, a.threads());
        assertEquals(3, a.flows());
        assertEquals(2000, a.sourcePort());
        assertEquals(3000, a.port());
        assertEquals(4000, a.controlPort());
        assertEquals("1024", a.physLen());
        assertEquals("8192", a.bufferSize());
        assertTrue(a.client() && a.tcpdValidate() && a.tcpdRxCpy() && a.dryRun());
        assertEquals(2, a.queueStart());
        assertEquals(6, a.queueNum());
        assertEquals("7", a.length());
        assertEquals("debug", a.log());
        assertEquals("udmabuf", a.mode(), "the script lowercases the mode");
        assertEquals("/opt/neper", a.neperDir());
        MultiNeperArgs abbreviated = parse("--host", "198.18.0.1", "--cli", "--thr", "5", "--len=3", "-Hx");
        assertEquals(List.of("x"), abbreviated.hosts());
        assertEquals(5, abbreviated.threads());
        assertEquals("3", abbreviated.length());
        assertTrue(abbreviated.client());
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of(), "the following arguments are required: --src-ips, -H/--hosts"),
                Arguments.of(List.of("-c"), "the following arguments are required: -H/--hosts"),
                Arguments.of(List.of("-c", "-H", "h", "--threads", "four"), "argument --threads: invalid int value: 'four'"),
                Arguments.of(List.of("-c", "-H", "h", "--p", "1"), "ambiguous option: --p could match --port, --phys-len"),
                Arguments.of(List.of("-c", "-H", "h", "--bogus"), "unrecognized arguments: --bogus"),
                Arguments.of(List.of("-c", "-H", "h", "stray"), "unrecognized arguments: stray"),
                Arguments.of(List.of("-c", "-H"), "argument -H/--hosts: expected one argument"),
                Arguments.of(List.of("-c", "-H", "h", "--client=yes"), "argument -c/--client: ignored explicit argument 'yes'"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLinesAreRefusedAsArgparseWould(List<String> args, String expected) {
        String message = assertThrows(UsageException.class, () -> MultiNeperArgs.parse(args)).getMessage();
        assertEquals(expected, message);
    }
}
