package dev.neper.fleet.runner.doctor;

import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.netdev.DevmemProbe;
import dev.neper.fleet.runner.nic.NicRecordStore;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.KernelVersion;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.SysfsFixture;
import dev.neper.fleet.runner.testing.Programs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor on this machine (veth, no udmabuf, no GPU) finds each missing piece and says why. */
class DoctorTest {
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("doctor", 37);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    private record Run(int exit, String stdout) {
    }

    private static Run doctor(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.neper.fleet.runner.Main", "doctor"));
        command.addAll(List.of(args));
        ProcessBuilder builder = Programs.processBuilder(NetnsPair.inNamespace(pair.namespaceA(), command));
        builder.environment().put("CUDA_LIB_DIR", "/nonexistent-cuda");
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private static Map<String, Check> byName(DoctorReport report, String scope) {
        return report.checks().stream().filter(c -> c.scope().equals(scope))
                .collect(Collectors.toMap(Check::name, c -> c));
    }

    @Test
    void udmabufOnVeth() throws Exception {
        Run run = doctor("--mode", "udmabuf", "--link", "eth1", "--json");
        assertEquals(1, run.exit());
        DoctorReport report = ReportJson.fromJson(run.stdout(), DoctorReport.class);
        assertFalse(report.ok());
        Map<String, Check> host = byName(report, "host");
        assertEquals(Check.Status.PASS, host.get("kernel").status());
        assertEquals(Check.Status.PASS, host.get("netdev-bind-rx").status());
        assertEquals(Check.Status.PASS, host.get("netdev-bind-tx").status());
        assertEquals(Check.Status.PASS, host.get("cap-net-admin").status());
        assertEquals(new Check("udmabuf", "host", Check.Status.FAIL,
                "/dev/udmabuf does not exist (kernel without CONFIG_UDMABUF, or the udmabuf module is not loaded)"),
                host.get("udmabuf"));
        Map<String, Check> link = byName(report, "eth1");
        assertEquals(Check.Status.PASS, link.get("link").status());
        assertTrue(link.get("link").detail().contains("driver veth"));
        assertEquals("eth1: driver veth has no devmem RX queue API (bind-rx EOPNOTSUPP)", link.get("devmem-rx").detail());
        assertTrue(link.get("devmem-tx").detail().contains("Driver does not support netmem TX"));
        assertTrue(link.get("header-split").detail().startsWith("driver veth has no TCP header split"));
        assertEquals("driver veth has no ntuple flow steering (rx-ntuple-filter is neither on nor changeable)",
                link.get("ntuple").detail());
        assertTrue(link.get("rss").detail().contains("EOPNOTSUPP"), link.get("rss").detail());
        assertEquals("1 RX queue(s) (channels: rx 1); queues 8..11 need 12", link.get("rx-queues").detail());
        for (String failed : List.of("devmem-rx", "devmem-tx", "header-split", "ntuple", "rss", "rx-queues")) {
            assertEquals(Check.Status.FAIL, link.get(failed).status(), failed);
        }
    }

    @Test
    void cudaWithoutADriverAndAMissingLink() throws Exception {
        Run run = doctor("--mode", "cuda", "--link", "eth1", "--link", "eth5", "--role", "sender");
        assertEquals(1, run.exit());
        assertTrue(run.stdout().startsWith("CHECK"), run.stdout());
        String json = run.stdout().substring(run.stdout().indexOf("\n{") + 1);
        DoctorReport report = ReportJson.fromJson(json, DoctorReport.class);
        Map<String, Check> host = byName(report, "host");
        assertTrue(host.get("libcuda").detail().startsWith("cuda: libcuda.so.1 not found (searched"
                + " [/nonexistent-cuda/libcuda.so.1"), host.get("libcuda").detail());
        assertEquals("eth5: no such network interface in this network namespace",
                byName(report, "eth5").get("link").detail());
        assertFalse(byName(report, "eth1").containsKey("devmem-rx"), "a sender's doctor skips receive checks");
        assertTrue(run.stdout().contains("prerequisite(s) of --mode cuda failed"));
    }

    /** The doctor prints the map links would use, here over the A3 High tree: NIC, nearest GPU, CPUs per link. */
    @Test
    void theMapOverATree(@TempDir Path dir) throws Exception {
        Path tree = SysfsFixture.build("a3-high.sysfs", dir);
        Run run = doctor("--mode", "cuda", "--link", "eth1", "--link", "eth3", "--threads", "2", "--sysfs-root",
                tree.toString());
        assertTrue(run.stdout().contains("MAP (what neper-runner links would use)\neth1: device eth1, nic 0000:06:00.0"
                + " (eth1's PCI device in sysfs), gpu 0000:04:00.0 (nearest (shares PCIe bridge 0000:01:00.0 with the NIC)),"
                + " cpus 0-1 (local to the NIC on NUMA node 0)\neth3: device eth3, nic 0000:86:00.0"), run.stdout());
        DoctorReport report = ReportJson.fromJson(run.stdout().substring(run.stdout().indexOf("\n{") + 1),
                DoctorReport.class);
        assertEquals(List.of("0000:04:00.0", "0000:84:00.0"), report.placements().stream()
                .map(dev.neper.fleet.runner.contract.LinkPlacement::gpu).toList());
        assertEquals("52-53", report.placements().get(1).cpus());
    }

    @Test
    void badOptionsAreRefused() throws Exception {
        Run run = doctor("--mode", "gpu");
        assertEquals(2, run.exit());
        assertTrue(run.stdout().contains("--mode takes host, udmabuf or cuda, not 'gpu'"));
    }

    /**
     * A capable driver answers the fd -1 probe with EBADF; so does every device on 6.12 to 6.14, which
     * resolve the fd before they ask the driver: there the doctor cannot tell and says so, never PASS.
     * EOPNOTSUPP comes from the driver check itself and is a FAIL on any kernel.
     */
    @ParameterizedTest
    @CsvSource({"6.12, WARN", "6.13, WARN", "6.14, WARN", "6.15, PASS", "6.16, PASS", "6.18, PASS"})
    void theBindRxProbesAnswerPerKernelVersion(String kernel, Check.Status expected) {
        KernelVersion version = KernelVersion.parse(kernel);
        Check ebadf = DoctorChecks.probeCheck("devmem-rx", "eth1", DevmemProbe.answer(version, "eth1", "gve",
                "bind-rx", "has no devmem RX queue API", Errno.EBADF, null, "EBADF"));
        assertEquals(expected, ebadf.status(), ebadf.detail());
        if (expected == Check.Status.WARN) {
            assertTrue(ebadf.detail().startsWith("cannot tell on this kernel: Linux " + kernel), ebadf.detail());
        }
        Check eopnotsupp = DoctorChecks.probeCheck("devmem-rx", "eth1", DevmemProbe.answer(version, "eth1", "veth",
                "bind-rx", "has no devmem RX queue API", Errno.EOPNOTSUPP, null, "EOPNOTSUPP"));
        assertEquals(Check.Status.FAIL, eopnotsupp.status());
        Check tx = DoctorChecks.probeCheck("devmem-tx", "eth1", DevmemProbe.answer(version, "eth1", "gve",
                "bind-tx", "has no devmem TX support (netmem_tx)", Errno.EBADF, null, "EBADF"));
        assertEquals(Check.Status.PASS, tx.status(), "bind-tx always asks the driver first");
    }

    /** The whole doctor, in process, with the kernel release given: too old a kernel fails the kernel check. */
    @Test
    void theKernelReleaseIsTheRequests(@TempDir Path records) throws Exception {
        for (String release : List.of("6.11.9", "6.13.2", "6.18.44")) {
            DoctorReport report = InNetns.call(pair.namespaceA(), () -> Doctor.check(new DoctorChecks.DoctorRequest(
                    MemoryMode.HOST, List.of("eth1"), true, false, 1, 1, null, new NicRecordStore(records), Map.of(),
                    release)));
            Map<String, Check> host = byName(report, "host");
            assertEquals(release.startsWith("6.11") ? Check.Status.FAIL : Check.Status.PASS, host.get("kernel").status(),
                    host.get("kernel").detail());
            assertEquals(Check.Status.FAIL, byName(report, "eth1").get("devmem-rx").status(),
                    "veth's EOPNOTSUPP comes from the driver check on any kernel");
        }
    }

    @Test
    void kernelVersions() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v782"));
        assertTrue(KernelVersion.parse("6.12.0").atLeast(KernelVersion.DEVMEM_RX));
        assertFalse(KernelVersion.parse("6.14.3").atLeast(KernelVersion.DEVMEM_TX));
        assertTrue(KernelVersion.parse("7.0").atLeast(KernelVersion.DEVMEM_TX));
    }

    @Test
    void anUnknownOptionIsNamedAsUnknown() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = Doctor.run(java.util.List.of("--bogus"), new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8)
                .startsWith("neper-runner doctor: unknown doctor option '--bogus'\n"), err.toString());
    }
}
