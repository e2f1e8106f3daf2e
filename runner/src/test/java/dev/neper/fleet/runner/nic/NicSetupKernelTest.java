package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.sys.MissingSupportException;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.Programs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NIC setup and restore against a veth. The devmem profile fails cleanly (no header split) and leaves
 * nothing behind; snapshot and restore are proven on a setting veth supports (GRO): restored on close,
 * on SIGTERM, and after a SIGKILL by the next run through the record file. GRO is set and read in the
 * namespace through the same ethtool netlink client NicSetup uses (features get/set, whose bytes
 * EthtoolFeaturesMessageTest checks against the uapi layout and EthtoolKernelTest against the kernel's
 * ioctl view), so the test needs no ethtool program.
 */
class NicSetupKernelTest {
    private static final String FEATURE = "rx-gro";
    private static NetnsPair pair;

    @BeforeAll
    static void namespaces() {
        pair = NetnsPair.create("nicsetup", 33);
    }

    @AfterAll
    static void cleanUp() {
        pair.close();
    }

    /** Each test starts from GRO off, whatever an earlier failure left. */
    @BeforeEach
    void groOff() throws Exception {
        InNetns.run(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                ethtool.setFeature("eth1", FEATURE, false);
            }
        });
    }

    private static boolean groOn() throws Exception {
        return InNetns.call(pair.namespaceA(), () -> {
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                return ethtool.features("eth1").isActive(FEATURE);
            }
        });
    }

    @Test
    void devmemProfileOnVethFailsCleanlyAndChangesNothing(@TempDir Path records) throws Exception {
        boolean groBefore = groOn();
        InNetns.run(pair.namespaceA(), () -> {
            NicRecordStore store = new NicRecordStore(records);
            ReceivePlan plan = new ReceivePlan(1, 1, List.of(new FlowRule(null,
                    InetAddress.getByName(pair.addressA()), -1, 12867, 1)));
            MissingSupportException e = assertThrows(MissingSupportException.class,
                    () -> NicSetup.applyReceiveProfile(Nic.resolve("eth1"), plan, store));
            assertTrue(e.getMessage().startsWith("eth1: driver veth has no TCP header split"), e.getMessage());
            assertTrue(e.getMessage().contains("EOPNOTSUPP"), e.getMessage());
            assertFalse(Files.exists(store.fileFor("eth1")), "no record left behind");
            try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
                assertFalse(ethtool.features("eth1").isActive(EthtoolNetlink.NTUPLE_FEATURE));
            }
        });
        assertEquals(groBefore, groOn());
    }

    @Test
    void changeIsRecordedAndRestoredOnClose(@TempDir Path records) throws Exception {
        assertFalse(groOn(), "veth starts with GRO off");
        InNetns.run(pair.namespaceA(), () -> {
            NicRecordStore store = new NicRecordStore(records);
            try (NicSetup setup = NicSetup.changeFeature(Nic.resolve("eth1"), FEATURE, true, store)) {
                assertTrue(groOn());
                NicRecord record = store.read("eth1").orElseThrow();
                assertEquals(List.of(new NicChange(NicChange.Setting.FEATURE, FEATURE, "false")), record.changes());
                assertEquals(ProcessHandle.current().pid(), record.pid());
                assertEquals(record.changes(), setup.changes());
            }
            assertFalse(Files.exists(store.fileFor("eth1")), "record removed once restored");
        });
        assertFalse(groOn(), "restored");
    }

    @Test
    void sigtermRestores(@TempDir Path records) throws Exception {
        assertFalse(groOn());
        Process holder = startHolder(records);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("changed", out.readLine());
            assertTrue(groOn());
            holder.toHandle().destroy();
            assertEquals("restored", out.readLine());
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
        }
        assertFalse(groOn(), "SIGTERM unwinds through the restore");
        assertEquals(0, records.toFile().list((d, n) -> n.endsWith(".json")).length);
    }

    @Test
    void afterSigkillTheNextRunRestoresFromTheRecord(@TempDir Path records) throws Exception {
        assertFalse(groOn());
        Process holder = startHolder(records);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("changed", out.readLine());
            holder.destroyForcibly();
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
        }
        assertTrue(groOn(), "a SIGKILLed run restores nothing itself");
        InNetns.run(pair.namespaceA(), () -> {
            NicRecordStore store = new NicRecordStore(records);
            NicRecord left = store.read("eth1").orElseThrow();
            assertEquals(holder.pid(), left.pid());
            NicSetup.restoreStale("eth1", store);
            assertFalse(Files.exists(store.fileFor("eth1")));
        });
        assertFalse(groOn(), "the next run undid the killed run's change");
    }

    @Test
    void aRecordOfALiveRunIsNotTouched(@TempDir Path records) throws Exception {
        Process holder = startHolder(records);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("changed", out.readLine());
            InNetns.run(pair.namespaceA(), () -> {
                Exception e = assertThrows(Exception.class,
                        () -> NicSetup.restoreStale("eth1", new NicRecordStore(records)));
                assertTrue(e.getMessage().contains("held by another run (pid " + holder.pid()), e.getMessage());
            });
            assertTrue(groOn());
            holder.toHandle().destroy();
            assertEquals("restored", out.readLine());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(20, TimeUnit.SECONDS);
        }
        assertFalse(groOn());
    }

    private static Process startHolder(Path records) throws Exception {
        List<String> command = new ArrayList<>(NetnsPair.inNamespace(pair.namespaceA(), List.of(
                ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), NicChangeHolder.class.getName(),
                "eth1", FEATURE, "on", records.toString())));
        return Programs.processBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
