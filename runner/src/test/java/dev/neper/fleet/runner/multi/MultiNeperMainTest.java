package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.Options;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiNeperMainTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MultiNeperMain.run("neper-runner", "test", List.of(args), new PrintStream(out, true),
                new PrintStream(err, true), environment);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Link i: control port C+i, data ports P+i*F.., source ports S+i*F.., F data ports; the client's peer is hosts[i]. */
    @Test
    void linksFollowMultiNepersPortScheme() throws Exception {
        MultiNeperArgs a = MultiNeperArgs.parse(List.of("-c", "-H", "198.18.0.1,198.18.1.1,198.18.2.1", "--src-ips",
                "198.18.0.2,198.18.1.2,198.18.2.2", "--devices", "eth1,eth2,eth3", "--flows", "2", "--threads", "2"));
        LinkSetCommand command = MultiNeperMain.command(a, MemoryMode.HOST);
        assertEquals(3, command.links().size());
        for (int i = 0; i < 3; i++) {
            Options link = command.linkOptions(i);
            assertEquals(12866 + i, link.controlPort());
            assertEquals(12345 + 2 * i, link.port());
            assertEquals(12345 + 2 * i, link.sourcePort());
            assertEquals(2, link.numPorts());
            assertEquals(2, link.numThreads());
            assertEquals(491520, link.bufferSize());
            assertEquals(10, link.testLength());
            assertEquals("198.18." + i + ".1", link.host());
            assertEquals("eth" + (i + 1), command.links().get(i).device());
            assertEquals("198.18." + i + ".2", command.links().get(i).localIp());
        }
        assertNull(command.linkOptions(0).localHosts(), "with source ports the route picks the NIC, as in the script");
    }

    /** The receiver of a cuda run gets the script's devmem flags: phys len, queues, the link's name and addresses. */
    @Test
    void devmemModesGetTheScriptsDevmemFlags() throws Exception {
        MultiNeperArgs a = MultiNeperArgs.parse(List.of("-H", "198.18.0.1", "--src-ips", "198.18.0.2", "--flows", "1",
                "--threads", "1", "--q-num", "1", "--phys-len", "2147483648", "--tcpd-rx-cpy", "--tcpd-validate"));
        Options server = MultiNeperMain.command(a, MemoryMode.CUDA).linkOptions(0);
        assertEquals(MemoryMode.CUDA, server.mode());
        assertEquals(2147483648L, server.tcpdPhysLen());
        assertEquals(8, server.queueStart());
        assertEquals(1, server.queueNum());
        assertTrue(server.tcpdRxCpy() && server.tcpdValidate());
        assertEquals("eth1", server.tcpdLinkName());
        assertEquals("198.18.0.2", server.tcpdSrcIp());
        assertEquals("198.18.0.1", server.tcpdDstIp());
        assertEquals("198.18.0.1", server.host(), "the receiver listens on its own address of the link");
    }

    /** The seed's --dry-run example: the links, then each link's command line and environment, at DEBUG. */
    @Test
    void dryRunPrintsEachLinksCommandWithItsEnvironment() {
        Run r = run(Map.of("PATH", "/usr/bin"), "--hosts", "198.18.0.1,198.18.1.1", "--devices", "eth1,eth2",
                "--buffer-size", "409600", "--flows", "1", "--threads", "1", "--src-ips", "198.18.0.2,198.18.1.2",
                "--log", "DEBUG", "--q-num", "1", "--phys-len", "2147483648", "--client", "--mode", "cuda", "--dry-run");
        assertEquals(0, r.code(), r.err());
        List<String> all = r.err().lines().toList();
        assertEquals("DEBUG:root:running on ['eth1', 'eth2']", all.get(0));
        assertEquals(5, all.size(), r.err());
        assertTrue(all.get(1).startsWith("DEBUG:root:[eth1] map: device eth1, nic "), all.get(1));
        List<String> lines = List.of(all.get(0), all.get(2), all.get(4));
        assertTrue(lines.get(1).startsWith("DEBUG:root:('neper-runner "), lines.get(1));
        assertTrue(lines.get(1).endsWith("', {'PATH': '/usr/bin'})"), lines.get(1));
        for (String expected : List.of("--source-port=12345", "--port=12345", "--client", "--host=198.18.0.1",
                "--buffer-size=409600", "--tcpd-phys-len=2147483648", "--mode=cuda")) {
            assertTrue(lines.get(1).contains(expected), expected + " in " + lines.get(1));
        }
        for (String expected : List.of("--control-port=12867", "--source-port=12346", "--port=12346", "--host=198.18.1.1")) {
            assertTrue(lines.get(2).contains(expected), expected + " in " + lines.get(2));
        }
        assertEquals("", r.out(), "a dry run prints nothing on stdout");
        assertEquals("", run(Map.of(), "-c", "-H", "198.18.0.1", "--src-ips", "198.18.0.2", "--dry-run").err(),
                "at the default WARNING level the script prints nothing");
    }

    @Test
    void neperModeOverridesTheModeVisibly() {
        Run r = run(Map.of(MultiNeperMain.MODE_OVERRIDE, "host"), "-c", "-H", "198.18.0.1", "--src-ips", "198.18.0.2",
                "--mode", "cuda", "--dry-run", "--log", "DEBUG");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("WARNING:root:--mode cuda overridden by NEPER_MODE=host\n"), r.err());
        assertTrue(!r.err().contains("--mode=cuda") && !r.err().contains("tcpd-phys-len"), r.err());
    }

    @Test
    void refusalsAreOneLineWithArgparsesExitCode() {
        Run missing = run(Map.of(), "--devices", "eth1");
        assertEquals(2, missing.code());
        assertEquals("multi_neper: error: the following arguments are required: --src-ips, -H/--hosts\n", missing.err());
        Run level = run(Map.of(), "-c", "-H", "198.18.0.1", "--src-ips", "x", "--log", "LOUD");
        assertEquals("multi_neper: error: argument --log: unknown level 'LOUD' (DEBUG, INFO, WARNING, ERROR, CRITICAL)\n",
                level.err());
        Run mode = run(Map.of(), "-c", "-H", "198.18.0.1", "--src-ips", "x", "-m", "gpu");
        assertEquals("multi_neper: error: argument -m/--mode: 'gpu' is none of cuda, udmabuf, default\n", mode.err());
        Run short1 = run(Map.of(), "-c", "-H", "198.18.0.1,198.18.1.1", "--src-ips", "198.18.0.2", "--devices", "eth1,eth2",
                "-m", "default");
        assertTrue(short1.err().contains("--devices names 2 links, so --hosts and --src-ips need an address for each"),
                short1.err());
        Run help = run(Map.of(), "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: multi_neper [-h] [--neper-dir NEPER_DIR]"), help.out());
    }
}
