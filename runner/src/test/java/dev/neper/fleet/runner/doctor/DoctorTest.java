package dev.neper.fleet.runner.doctor;

import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.Programs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void badOptionsAreRefused() throws Exception {
        Run run = doctor("--mode", "gpu");
        assertEquals(2, run.exit());
        assertTrue(run.stdout().contains("--mode takes host, udmabuf or cuda, not 'gpu'"));
    }

    @Test
    void kernelVersions() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v782"));
        assertTrue(KernelVersion.parse("6.12.0").atLeast(KernelVersion.DEVMEM_RX));
        assertFalse(KernelVersion.parse("6.14.3").atLeast(KernelVersion.DEVMEM_TX));
        assertTrue(KernelVersion.parse("7.0").atLeast(KernelVersion.DEVMEM_TX));
    }
}
