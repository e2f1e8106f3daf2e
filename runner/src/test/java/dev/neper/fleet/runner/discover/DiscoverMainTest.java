package dev.neper.fleet.runner.discover;

import dev.neper.fleet.runner.contract.NetworkDevice;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.Preflight;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.Programs;
import dev.neper.fleet.runner.testing.SysfsFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code neper-runner discover} as a process in a namespace of four veths, over the A3 High tree and over its own /sys. */
class DiscoverMainTest {
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("discmain", 56, 4);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run discover(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.neper.fleet.runner.Main", "discover"));
        command.addAll(List.of(args));
        Process p = Programs.processBuilder(NetnsPair.inNamespace(pair.namespaceA(), command)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void jsonAndTheTerminationSummaryOverTheA3HighTree(@TempDir Path dir) throws Exception {
        Path tree = SysfsFixture.build("a3-high.sysfs", dir.resolve("sys"));
        Path summary = dir.resolve("termination-log");
        Run run = discover("--json", "--sysfs-root", tree.toString(), "--termination-summary=" + summary);
        assertEquals(0, run.exit(), run.stderr());
        NodeTopology t = ReportJson.fromJson(run.stdout(), NodeTopology.class);
        NetworkDevice eth4 = t.devices().stream().filter(d -> d.name().equals("eth4")).findFirst().orElseThrow();
        assertEquals("0000:8c:00.0", eth4.pci());
        assertEquals(List.of("0000:8a:00.0", "0000:8b:00.0"), eth4.gpus());
        assertEquals(pair.addressA(4) + "/24", eth4.addresses().getFirst());
        byte[] message = Files.readAllBytes(summary);
        assertTrue(message.length <= NodeTopology.MAX_BYTES, message.length + " bytes");
        NodeTopology compact = ReportJson.fromJson(new String(message, StandardCharsets.UTF_8), NodeTopology.class);
        assertTrue(compact.omitted().contains("lo"));
        assertEquals(8, compact.gpus().size());
    }

    /** ip netns exec mounts the namespace's own /sys: the live tree then has exactly the namespace's devices. */
    @Test
    void theTableOverTheNamespacesOwnSysfs() throws Exception {
        Run run = discover();
        assertEquals(0, run.exit(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.getFirst().startsWith("DEVICE  STATE"), lines.getFirst());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("eth3 ") && l.contains(pair.addressA(3) + "/24")
                && l.contains("veth")), run.stdout());
        assertTrue(lines.contains("no NVIDIA GPU (PCI class 0x0300xx or 0x0302xx, vendor 0x10de) in sysfs"), run.stdout());
        assertTrue(lines.contains("eth1: devmem-rx: eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)"),
                run.stdout());
    }

    /**
     * This machine has neither /dev/udmabuf nor a GPU: the preflight of both devmem modes fails, naming
     * the check, while the host-wide checks that hold here (the kernel, CAP_NET_ADMIN as root) do not appear.
     */
    @Test
    void thePreflightOfADevmemModeNamesWhatTheHostLacks(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("termination-log");
        Run udmabuf = discover("--json", "--preflight", "udmabuf", "--termination-summary", summary.toString());
        assertEquals(0, udmabuf.exit(), udmabuf.stderr());
        Preflight checked = ReportJson.fromJson(udmabuf.stdout(), NodeTopology.class).preflight();
        assertEquals("udmabuf", checked.mode());
        assertFalse(checked.passed());
        assertTrue(checked.failures().stream().anyMatch(f -> f.startsWith("udmabuf: ")), checked.toString());
        assertTrue(checked.failures().stream().noneMatch(f -> f.startsWith("kernel: ") || f.startsWith("cap-net-admin")),
                checked.toString());
        NodeTopology compact = ReportJson.fromJson(Files.readString(summary), NodeTopology.class);
        assertEquals(checked, compact.preflight(), "the termination message carries the preflight");

        Run cuda = discover("--preflight=cuda");
        assertEquals(0, cuda.exit(), cuda.stderr());
        assertTrue(cuda.stdout().lines().anyMatch(l -> l.startsWith("preflight --mode cuda: ") && l.endsWith("failed")),
                cuda.stdout());
        assertTrue(cuda.stdout().lines().anyMatch(l -> l.startsWith("  libcuda: ")), cuda.stdout());

        Run host = discover("--preflight", "host");
        assertEquals(2, host.exit());
        assertTrue(host.stderr().contains("--preflight takes udmabuf or cuda"), host.stderr());
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        Run missing = discover("--sysfs-root", "/nonexistent-sysfs");
        assertEquals(2, missing.exit());
        assertEquals("neper-runner discover: --sysfs-root /nonexistent-sysfs is not a directory", missing.stderr().strip());
        Run unknown = discover("--jsn");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.stderr().startsWith("neper-runner discover: unknown option '--jsn'"), unknown.stderr());
    }
}
