package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.contract.FlowRuleReport;
import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.ethtool.EthtoolStructs;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.ethtool.Rings;
import dev.neper.fleet.runner.log.RunLog;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.MissingSupportException;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts a NIC in the state devmem RX needs and puts it back afterwards, through a {@link NicControl}:
 * header split on (rings tcp-data-split on and hds-thresh 0, or the neper seed's gve private flags
 * where the driver has them), ntuple on, the RSS indirection table kept off the devmem queues, one
 * flow rule per flow. Every change is written to a {@link NicRecord} before it is made; {@link #close}
 * undoes the changes in reverse order (rules deleted) and removes the record, so the NIC is left as
 * found on success, on error and on SIGTERM; a SIGKILLed run's record is undone by the next run
 * before it changes anything.
 */
public final class NicSetup implements AutoCloseable {
    public static final List<String> GVE_HEADER_SPLIT_FLAGS =
            List.of("enable-header-split", "enable-strict-header-split", "enable-max-rx-buffer-size");
    /** The record's original value of an RSS table that was the default spread: undone by a reset, not a write. */
    static final String DEFAULT_RSS = "default";

    /** How header split is turned on. */
    public enum Profile {
        /** Upstream: rings tcp-data-split on, hds-thresh 0. */
        RINGS_HEADER_SPLIT,
        /** The neper seed's out-of-tree gve: private flags enable-header-split and friends. */
        GVE_PRIVATE_FLAGS
    }

    private final Nic nic;
    private final NicRecordStore store;
    private final NicControl control;
    private final List<FlowRuleReport> rules = new ArrayList<>();
    private NicRecord record;
    private Profile profile;
    private boolean restored;

    private NicSetup(Nic nic, NicRecordStore store, NicControl control) {
        this.nic = nic;
        this.store = store;
        this.control = control;
        this.record = new NicRecord(NicRecord.SCHEMA_VERSION, nic.name(), ProcessHandle.current().pid(), List.of());
    }

    /** Applies the devmem receive settings through the kernel; on failure undoes what it did and throws. */
    public static NicSetup applyReceiveProfile(Nic nic, ReceivePlan plan, NicRecordStore store) throws IOException {
        return applyReceiveProfile(nic, plan, store, KernelNicControl.open());
    }

    /** Applies the devmem receive settings through {@code control}, which the setup then owns and closes. */
    public static NicSetup applyReceiveProfile(Nic nic, ReceivePlan plan, NicRecordStore store, NicControl control)
            throws IOException {
        NicSetup setup = new NicSetup(nic, store, control);
        try {
            restoreStale(nic.name(), store, control);
            setup.profile = setup.enableHeaderSplit();
            setup.setFeature(EthtoolNetlink.NTUPLE_FEATURE, true, "has no ntuple flow steering");
            setup.keepRssOff(plan);
            for (FlowRule rule : plan.rules()) {
                setup.insertRule(rule);
            }
        } catch (IOException | RuntimeException e) {
            List<String> errors = setup.restore();
            if (!errors.isEmpty()) {
                e.addSuppressed(new IOException(nic.name() + ": restoring the NIC failed: " + String.join("; ", errors)));
            }
            throw e;
        }
        return setup;
    }

    /** Changes one feature, recorded and restorable like the receive profile's changes (also used by tests). */
    public static NicSetup changeFeature(Nic nic, String feature, boolean on, NicRecordStore store) throws IOException {
        NicSetup setup = new NicSetup(nic, store, KernelNicControl.open());
        try {
            restoreStale(nic.name(), store, setup.control);
            setup.setFeature(feature, on, "cannot change " + feature);
        } catch (IOException | RuntimeException e) {
            setup.restore();
            throw e;
        }
        return setup;
    }

    public Nic nic() {
        return nic;
    }

    public Profile profile() {
        return profile;
    }

    /** The changes made so far, in order. */
    public List<NicChange> changes() {
        return record.changes();
    }

    /** The flow rules installed, in flow order. */
    public List<FlowRuleReport> rules() {
        return List.copyOf(rules);
    }

    /** Undoes what a previous run recorded for this interface, through the kernel. */
    public static void restoreStale(String link, NicRecordStore store) throws IOException {
        try (NicControl control = KernelNicControl.open()) {
            restoreStale(link, store, control);
        }
    }

    /**
     * Undoes the changes a previous run recorded for this interface (in this network namespace). A
     * record whose process is still alive means another run holds the NIC: that is an error.
     */
    static void restoreStale(String link, NicRecordStore store, NicControl control) throws IOException {
        Optional<NicRecord> stale = store.read(link);
        if (stale.isEmpty()) {
            return;
        }
        NicRecord record = stale.get();
        long self = ProcessHandle.current().pid();
        if (record.pid() != self && ProcessHandle.of(record.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IOException(link + ": NIC settings are held by another run (pid " + record.pid()
                    + ", record " + store.fileFor(link) + ")");
        }
        RunLog.warn(link + ": undoing NIC changes a killed run (pid " + record.pid() + ") left: " + record.changes());
        List<String> errors = undoAll(link, record.changes(), store, record, control);
        if (!errors.isEmpty()) {
            throw new IOException(link + ": cannot undo the NIC changes a killed run left: " + String.join("; ", errors));
        }
    }

    /**
     * Header split on. tcp-data-split is set to "on" whatever RINGS_GET says, as ncdevmem does: GET may
     * report the driver's current state while bind-rx checks the configured value (hds_config), so a
     * driver that reports "on" with the setting still "auto" would fail bind-rx with "tcp-data-split is
     * disabled". hds-thresh goes to 0 wherever the driver has it. The record keeps what GET reported
     * (0, auto, when it reported nothing). A driver without rings header split may have the seed's gve
     * private flags instead.
     */
    private Profile enableHeaderSplit() throws IOException {
        Rings rings;
        try {
            rings = control.rings(nic.name());
        } catch (SysCallException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            return enablePrivateFlagHeaderSplit(e.getMessage());
        }
        int reported = rings.tcpDataSplit() == null ? Rings.TCP_DATA_SPLIT_UNKNOWN : rings.tcpDataSplit();
        try {
            change(new NicChange(NicChange.Setting.TCP_DATA_SPLIT, "", String.valueOf(reported)),
                    () -> control.setRings(nic.name(), Rings.TCP_DATA_SPLIT_ENABLED, null), "cannot turn TCP header split on");
        } catch (MissingSupportException e) {
            return enablePrivateFlagHeaderSplit(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        if (rings.hdsThreshold() != null) {
            change(new NicChange(NicChange.Setting.HDS_THRESHOLD, "", String.valueOf(rings.hdsThreshold())),
                    () -> control.setRings(nic.name(), null, 0L), "cannot set hds-thresh to 0");
        }
        return Profile.RINGS_HEADER_SPLIT;
    }

    /** The neper seed's out-of-tree gve: header split through private flags, for a driver whose rings have none. */
    private Profile enablePrivateFlagHeaderSplit(String ringsProblem) throws IOException {
        Map<String, Boolean> flags;
        try {
            flags = control.privateFlags(nic.name());
        } catch (SysCallException e) {
            throw missing("has no TCP header split (" + ringsProblem + "; and no header-split private flag: "
                    + e.getMessage() + ")", e);
        }
        if (!flags.containsKey(GVE_HEADER_SPLIT_FLAGS.getFirst())) {
            throw missing("has no TCP header split (" + ringsProblem + "; private flags " + flags.keySet()
                    + " have no " + GVE_HEADER_SPLIT_FLAGS.getFirst() + ")", null);
        }
        for (String flag : GVE_HEADER_SPLIT_FLAGS) {
            if (flags.containsKey(flag) && !flags.get(flag)) {
                change(new NicChange(NicChange.Setting.PRIVATE_FLAG, flag, "false"),
                        () -> control.setPrivateFlag(nic.name(), flag, true), "cannot turn private flag " + flag + " on");
            }
        }
        return Profile.GVE_PRIVATE_FLAGS;
    }

    private void setFeature(String feature, boolean on, String unsupportedText) throws IOException {
        EthtoolNetlink.Features features = control.features(nic.name());
        if (features.isActive(feature) == on) {
            return;
        }
        if (!features.isChangeable(feature)) {
            throw missing(unsupportedText + " (" + feature + " is not a changeable feature)", null);
        }
        change(new NicChange(NicChange.Setting.FEATURE, feature, String.valueOf(!on)),
                () -> control.setFeature(nic.name(), feature, on), unsupportedText);
    }

    /**
     * ethtool -X equal queueStart when any entry points at a devmem queue. The record says whether the
     * table was the default spread (entry i = i mod the RX ring count): such a table is undone by a
     * reset, since writing it back would mark it user-configured and the kernel would stop re-spreading
     * it when the channel count changes; any other table is written back.
     */
    private void keepRssOff(ReceivePlan plan) throws IOException {
        int[] table;
        try {
            table = control.rssIndirection(nic.name());
        } catch (SysCallException e) {
            throw unsupportedOr(e, "has no RSS indirection table to keep other traffic off the devmem queues");
        }
        boolean touchesDevmemQueues = Arrays.stream(table)
                .anyMatch(q -> q >= plan.queueStart() && q < plan.queueStart() + plan.queueCount());
        if (!touchesDevmemQueues) {
            return;
        }
        int[] equal = new int[table.length];
        for (int i = 0; i < equal.length; i++) {
            equal[i] = i % plan.queueStart();
        }
        String original = isDefaultSpread(table, rxRingsOrZero(nic.name(), control)) ? DEFAULT_RSS
                : Arrays.stream(table).mapToObj(String::valueOf).collect(Collectors.joining(","));
        change(new NicChange(NicChange.Setting.RSS_INDIRECTION, "", original),
                () -> writeRss(nic.name(), equal, equal, control), "cannot set the RSS indirection table");
    }

    /** The RX ring count the default spread is built from; 0 when the driver does not say (no table is then default). */
    private static int rxRingsOrZero(String link, NicControl control) throws IOException {
        try {
            return control.rxRings(link);
        } catch (SysCallException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            return 0;
        }
    }

    /** Whether the table is the kernel's default spread over {@code rings} RX rings: entry i = i mod rings. */
    static boolean isDefaultSpread(int[] table, int rings) {
        if (rings <= 0 || table.length == 0) {
            return false;
        }
        for (int i = 0; i < table.length; i++) {
            if (table[i] != i % rings) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes an RSS table (an empty one resets to the default spread) and reads it back: it must be
     * {@code expected}. RSS_SET on 6.17 and 6.18 before a 2026 stable fix (8d60141a) compares only the
     * first quarter of the table and reports success without applying a change confined to later
     * entries, so a table that reads back different is written again through the ioctl; if that does
     * not take either, the run fails naming the entries.
     */
    static void writeRss(String link, int[] table, int[] expected, NicControl control) throws IOException {
        String mismatch = null;
        for (NicControl.RssPath path : control.rssPaths()) {
            control.setRssIndirection(link, table, path);
            int[] read = control.rssIndirection(link);
            mismatch = difference(read, expected);
            if (mismatch == null) {
                return;
            }
            RunLog.warn(link + ": the RSS table written through " + path + " reads back different (" + mismatch + ")");
        }
        throw new IOException(link + ": the RSS indirection table reads back different from what was written ("
                + mismatch + "), through " + control.rssPaths() + "; on 6.17 and 6.18 kernels before the 2026 stable"
                + " fix 8d60141a, RSS_SET compares only the first quarter of the table and reports success without"
                + " applying a change to later entries");
    }

    /** Where a table read back differs from the one expected, in words; null when they are the same. */
    static String difference(int[] read, int[] expected) {
        if (read.length != expected.length) {
            return "the table has " + read.length + " entries, not " + expected.length;
        }
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < read.length; i++) {
            if (read[i] != expected[i]) {
                differing.add(i);
            }
        }
        if (differing.isEmpty()) {
            return null;
        }
        int first = differing.getFirst();
        return differing.size() + " of " + read.length + " entries differ, from entry " + first + " (queue "
                + read[first] + ", wanted " + expected[first] + ")";
    }

    /**
     * Inserts a flow's rule; when the NIC refuses it (EINVAL or EOPNOTSUPP) falls back, as ncdevmem does,
     * to the rule on the destination address and port only. The report says which form each flow got.
     */
    private void insertRule(FlowRule rule) throws IOException {
        FlowRule installed = rule;
        String refused = null;
        int location;
        try {
            location = insertAtChosenLocation(rule);
        } catch (SysCallException e) {
            if (rule.isDestinationOnly() || (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP)) {
                throw unsupportedOr(e, "cannot insert the flow rule " + rule);
            }
            installed = rule.destinationOnly();
            refused = rule.toString();
            RunLog.warn(nic.name() + ": flow rule " + rule + " refused (" + e.getMessage() + "); trying " + installed);
            try {
                location = insertAtChosenLocation(installed);
            } catch (SysCallException again) {
                throw unsupportedOr(again, "cannot insert the flow rule " + rule + " nor " + installed);
            }
        }
        record = record.with(new NicChange(NicChange.Setting.FLOW_RULE, String.valueOf(location), ""));
        store.write(record);
        rules.add(new FlowRuleReport(installed.toString(), installed.match(), location, refused));
        RunLog.info(nic.name() + ": flow rule " + installed + " at location " + location);
    }

    private int insertAtChosenLocation(FlowRule rule) throws IOException {
        EthtoolIoctl.RuleTable table = control.ruleTable(nic.name());
        List<Integer> used = table.driverPicksLocation() ? List.of()
                : control.ruleLocations(nic.name(), table.ruleCount());
        return control.insertRule(nic.name(), rule, ruleLocation(nic.name(), table, used));
    }

    /**
     * Where a rule goes: RX_CLS_LOC_ANY when the driver chooses locations itself; else the lowest free
     * location. ethtool's own choice (rmgr_find_empty_slot) is the last free one, the lowest priority
     * on drivers that match rules in location order; the run's rules match only its own flows, so they
     * go first, where an older and broader rule cannot take their packets to another queue.
     */
    static int ruleLocation(String link, EthtoolIoctl.RuleTable table, List<Integer> used) throws SysCallException {
        if (table.driverPicksLocation()) {
            return EthtoolStructs.RX_CLS_LOC_ANY;
        }
        for (int i = 0; i < table.tableSize(); i++) {
            if (!used.contains(i)) {
                return i;
            }
        }
        throw new SysCallException("SIOCETHTOOL SRXCLSRLINS", Errno.ENOSPC,
                link + ": all " + table.tableSize() + " flow rule locations are in use");
    }

    private interface Action {
        void run() throws IOException;
    }

    /** Records the change, then makes it; a change that fails is dropped from the record again. */
    private void change(NicChange change, Action action, String unsupportedText) throws IOException {
        NicRecord before = record;
        record = record.with(change);
        store.write(record);
        try {
            action.run();
        } catch (SysCallException e) {
            record = before;
            store.write(record);
            throw unsupportedOr(e, unsupportedText);
        } catch (IOException | RuntimeException e) {
            record = before;
            store.write(record);
            throw e;
        }
        RunLog.info(nic.name() + ": changed " + change);
    }

    private IOException unsupportedOr(SysCallException e, String text) {
        return e.errno() == Errno.EOPNOTSUPP ? missing(text + " (" + e.getMessage() + ")", e)
                : new IOException(nic.name() + ": " + text + ": " + e.getMessage(), e);
    }

    private MissingSupportException missing(String text, Throwable cause) {
        return new MissingSupportException(nic.name() + ": driver " + nic.driver() + " " + text, cause);
    }

    /** Undoes every change in reverse order; returns the errors (empty when the NIC is back as found). */
    public synchronized List<String> restore() {
        if (restored) {
            return List.of();
        }
        restored = true;
        try {
            return undoAll(nic.name(), record.changes(), store, record, control);
        } finally {
            control.close();
        }
    }

    /**
     * Undoes changes newest first. Whatever cannot be undone stays in the record file, so the next run
     * tries again; the file goes once everything is undone.
     */
    private static List<String> undoAll(String link, List<NicChange> changes, NicRecordStore store, NicRecord record,
                                        NicControl control) {
        List<String> errors = new ArrayList<>();
        List<NicChange> left = new ArrayList<>();
        for (int i = changes.size() - 1; i >= 0; i--) {
            NicChange change = changes.get(i);
            try {
                undo(link, change, control);
                RunLog.info(link + ": restored " + change);
            } catch (IOException | RuntimeException e) {
                errors.add("undo " + change + ": " + e.getMessage());
                left.addFirst(change);
            }
        }
        try {
            if (left.isEmpty()) {
                store.delete(link);
            } else {
                store.write(new NicRecord(record.schemaVersion(), link, record.pid(), left));
            }
        } catch (IOException e) {
            errors.add("NIC record " + e.getMessage());
        }
        return errors;
    }

    private static void undo(String link, NicChange change, NicControl control) throws IOException {
        switch (change.setting()) {
            case TCP_DATA_SPLIT -> control.setRings(link, Integer.parseInt(change.original()), null);
            case HDS_THRESHOLD -> control.setRings(link, null, Long.parseLong(change.original()));
            case FEATURE -> control.setFeature(link, change.key(), Boolean.parseBoolean(change.original()));
            case PRIVATE_FLAG -> control.setPrivateFlag(link, change.key(), Boolean.parseBoolean(change.original()));
            case RSS_INDIRECTION -> undoRss(link, change.original(), control);
            case FLOW_RULE -> {
                try {
                    control.deleteRule(link, Integer.parseInt(change.key()));
                } catch (SysCallException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                }
            }
        }
    }

    /** A default table is reset (it reads back as the default spread); a user table is written back. */
    private static void undoRss(String link, String original, NicControl control) throws IOException {
        if (original.equals(DEFAULT_RSS)) {
            int size = control.rssIndirection(link).length;
            int rings = control.rxRings(link);
            int[] spread = new int[size];
            for (int i = 0; i < size; i++) {
                spread[i] = i % rings;
            }
            writeRss(link, new int[0], spread, control);
        } else {
            int[] table = Arrays.stream(original.split(",")).mapToInt(Integer::parseInt).toArray();
            writeRss(link, table, table, control);
        }
    }

    /** Restores the NIC; failures are logged as errors (the record stays for the next run). */
    @Override
    public void close() {
        for (String error : restore()) {
            RunLog.error(nic.name() + ": " + error);
        }
    }
}
