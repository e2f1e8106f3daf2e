package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.contract.FlowRuleReport;
import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.ethtool.EthtoolStructs;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.ethtool.Rings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive profile's decisions against a devmem-capable NIC this machine lacks ({@link FakeNic}):
 * header split set whatever GET reports, a default RSS table reset rather than written back, every
 * RSS change read back, the flow-rule fallback and where rules go. The kernel error paths are in
 * {@link NicSetupKernelTest} and EthtoolKernelTest.
 */
class NicSetupTest {
    private static final Nic NIC = new Nic("eth1", 5, "gve", "0000:06:00.0");
    private final FakeNic fake = new FakeNic();
    private NicRecordStore store;
    private ReceivePlan plan;

    @BeforeEach
    void plan(@TempDir Path records) throws Exception {
        store = new NicRecordStore(records);
        InetAddress server = InetAddress.getByName("198.18.40.1");
        InetAddress client = InetAddress.getByName("198.18.40.2");
        plan = new ReceivePlan(8, 2, List.of(new FlowRule(client, server, 30000, 12867, 8),
                new FlowRule(client, server, 30001, 12868, 9)));
    }

    private NicSetup apply() throws IOException {
        return NicSetup.applyReceiveProfile(NIC, plan, store, fake);
    }

    /** A driver that reports header split on while the setting is still auto gets the SET all the same. */
    @Test
    void headerSplitIsSetEvenWhenGetReportsItOn() throws Exception {
        fake.reportedDataSplit = Rings.TCP_DATA_SPLIT_ENABLED;
        fake.configuredDataSplit = Rings.TCP_DATA_SPLIT_UNKNOWN;
        try (NicSetup setup = apply()) {
            assertEquals(Rings.TCP_DATA_SPLIT_ENABLED, fake.configuredDataSplit, "what bind-rx checks");
            assertTrue(fake.calls.contains("rings-set tcp-data-split 2"), fake.calls.toString());
            assertTrue(fake.calls.contains("rings-set hds-thresh 0"), "hds-thresh 0 even when it reads 0");
            assertEquals(new NicChange(NicChange.Setting.TCP_DATA_SPLIT, "", "2"), setup.changes().getFirst());
            assertEquals(NicSetup.Profile.RINGS_HEADER_SPLIT, setup.profile());
        }
        assertEquals(Rings.TCP_DATA_SPLIT_ENABLED, fake.configuredDataSplit, "restored to what GET reported");
    }

    @Test
    void headerSplitReportedAsNothingIsSetAndRestoredToAuto() throws Exception {
        fake.reportedDataSplit = null;
        try (NicSetup ignored = apply()) {
            assertEquals(Rings.TCP_DATA_SPLIT_ENABLED, fake.configuredDataSplit);
        }
        assertEquals(Rings.TCP_DATA_SPLIT_UNKNOWN, fake.configuredDataSplit);
        assertEquals("rings-set tcp-data-split 0", fake.calls.stream().filter(c -> c.startsWith("rings-set tcp"))
                .reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void aDefaultRssTableIsResetNotWrittenBack() throws Exception {
        int[] original = fake.rss.clone();
        try (NicSetup setup = apply()) {
            assertArrayEquals(FakeNic.spread(128, 8), fake.rss, "equal 8: RSS keeps off queues 8 and 9");
            assertEquals("default", setup.changes().stream()
                    .filter(c -> c.setting() == NicChange.Setting.RSS_INDIRECTION).findFirst().orElseThrow().original());
        }
        assertArrayEquals(original, fake.rss);
        assertEquals("rss-set NETLINK reset", fake.calls.stream().filter(c -> c.startsWith("rss-set"))
                .reduce((a, b) -> b).orElseThrow(), "undone by a reset, so the kernel keeps re-spreading it");
        assertFalse(Files.exists(store.fileFor("eth1")));
    }

    @Test
    void aUserRssTableIsWrittenBack() throws Exception {
        int[] user = FakeNic.spread(128, 12);
        user[0] = 11;
        fake.rss = user.clone();
        try (NicSetup setup = apply()) {
            assertTrue(setup.changes().stream().anyMatch(c -> c.setting() == NicChange.Setting.RSS_INDIRECTION
                    && c.original().startsWith("11,1,2,")), setup.changes().toString());
        }
        assertArrayEquals(user, fake.rss);
        assertEquals("rss-set NETLINK " + Arrays.toString(user), fake.calls.stream().filter(c -> c.startsWith("rss-set"))
                .reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void aTableThatDoesNotPointAtTheDevmemQueuesIsLeftAlone() throws Exception {
        fake.rss = FakeNic.spread(128, 8);
        try (NicSetup setup = apply()) {
            assertTrue(setup.changes().stream().noneMatch(c -> c.setting() == NicChange.Setting.RSS_INDIRECTION));
        }
        assertTrue(fake.calls.stream().noneMatch(c -> c.startsWith("rss-set")));
    }

    /** RSS_SET that reports success without applying a change past the first quarter: the ioctl writes it. */
    @Test
    void anRssChangeThatDoesNotReadBackIsWrittenThroughTheIoctl() throws Exception {
        int[] user = FakeNic.spread(128, 16);
        for (int i = 100; i < 128; i++) {
            user[i] = 3;
        }
        fake.rss = FakeNic.spread(128, 8);
        fake.rss[120] = 9;
        int[] touched = fake.rss.clone();
        fake.rssSetComparesFirstQuarterOnly = true;
        try (NicSetup ignored = apply()) {
            assertArrayEquals(FakeNic.spread(128, 8), fake.rss);
            assertTrue(fake.calls.contains("rss-set IOCTL " + Arrays.toString(FakeNic.spread(128, 8))), fake.calls.toString());
        }
        assertArrayEquals(touched, fake.rss, "restored through the ioctl too");
    }

    @Test
    void anRssChangeThatTakesNowhereFailsClearlyAndRestores() {
        fake.rss = FakeNic.spread(128, 8);
        fake.rss[120] = 9;
        fake.rssSetComparesFirstQuarterOnly = true;
        fake.ioctlRssAlsoIgnored = true;
        IOException e = assertThrows(IOException.class, this::apply);
        assertTrue(e.getMessage().startsWith("eth1: the RSS indirection table reads back different from what was"
                + " written (1 of 128 entries differ, from entry 120 (queue 9, wanted 0))"), e.getMessage());
        assertTrue(e.getMessage().contains("8d60141a"), e.getMessage());
        assertEquals(Rings.TCP_DATA_SPLIT_UNKNOWN, fake.configuredDataSplit, "what was changed before is undone");
        assertFalse(fake.ntuple);
    }

    @Test
    void rulesGoToTheLowestFreeLocationsAndAreDeletedAfterwards() throws Exception {
        fake.rules.put(0, plan.rules().getFirst().destinationOnly());
        fake.rules.put(2, plan.rules().getFirst().destinationOnly());
        try (NicSetup setup = apply()) {
            assertEquals(List.of(1, 3), setup.rules().stream().map(FlowRuleReport::location).toList());
            assertEquals(List.of("5-tuple", "5-tuple"), setup.rules().stream().map(FlowRuleReport::match).toList());
            assertNull(setup.rules().getFirst().refused());
        }
        assertEquals(List.of(0, 2), List.copyOf(fake.rules.keySet()), "only the run's rules are gone");
    }

    @Test
    void aDriverThatChoosesLocationsIsAskedWithLocAny() throws Exception {
        fake.driverPicksLocation = true;
        try (NicSetup ignored = apply()) {
            assertTrue(fake.calls.stream().filter(c -> c.startsWith("rule-insert"))
                    .allMatch(c -> c.endsWith(" at " + Integer.toUnsignedString(EthtoolStructs.RX_CLS_LOC_ANY))));
        }
        assertTrue(fake.rules.isEmpty());
    }

    /** A NIC that refuses the 5-tuple gets ncdevmem's fallback, destination address and port, and the report says so. */
    @Test
    void aRefusedFiveTupleFallsBackToTheDestination() throws Exception {
        fake.refusesSourceFields = true;
        try (NicSetup setup = apply()) {
            FlowRuleReport first = setup.rules().getFirst();
            assertEquals("dst-ip+dst-port", first.match());
            assertEquals("flow-type tcp4 dst-ip 198.18.40.1 dst-port 12867 queue 8", first.rule());
            assertEquals("flow-type tcp4 src-ip 198.18.40.2 dst-ip 198.18.40.1 src-port 30000 dst-port 12867 queue 8",
                    first.refused());
            assertEquals(2, fake.rules.size());
        }
        assertTrue(fake.rules.isEmpty());
    }

    @Test
    void aFullRuleTableIsAnErrorNamingIt() {
        EthtoolIoctl.RuleTable full = new EthtoolIoctl.RuleTable(2, 2, false);
        Exception e = assertThrows(Exception.class, () -> NicSetup.ruleLocation("eth1", full, List.of(0, 1)));
        assertTrue(e.getMessage().contains("eth1: all 2 flow rule locations are in use"), e.getMessage());
    }

    @Test
    void theDefaultSpreadIsEntryModRings() {
        assertTrue(NicSetup.isDefaultSpread(FakeNic.spread(128, 16), 16));
        assertFalse(NicSetup.isDefaultSpread(FakeNic.spread(128, 16), 8));
        assertFalse(NicSetup.isDefaultSpread(FakeNic.spread(128, 16), 0), "no ring count: never default");
        assertNull(NicSetup.difference(new int[] {1, 2}, new int[] {1, 2}));
        assertEquals("the table has 1 entries, not 2", NicSetup.difference(new int[] {1}, new int[] {1, 2}));
    }
}
