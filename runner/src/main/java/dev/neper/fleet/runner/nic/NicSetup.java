package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
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
 * Puts a NIC in the state devmem RX needs and puts it back afterwards, through ethtool netlink and
 * the SIOCETHTOOL ioctl: header split on (rings tcp-data-split and hds-thresh 0, or the neper seed's
 * gve private flags where the driver has them), ntuple on, the RSS indirection table kept off the
 * devmem queues, one flow rule per flow. Every change is written to a {@link NicRecord} before it is
 * made; {@link #close} undoes the changes in reverse order (rules deleted) and removes the record, so
 * the NIC is left as found on success, on error and on SIGTERM; a SIGKILLed run's record is undone
 * by the next run before it changes anything.
 */
public final class NicSetup implements AutoCloseable {
    public static final List<String> GVE_HEADER_SPLIT_FLAGS =
            List.of("enable-header-split", "enable-strict-header-split", "enable-max-rx-buffer-size");

    /** How header split is turned on. */
    public enum Profile {
        /** Upstream: rings tcp-data-split on, hds-thresh 0. */
        RINGS_HEADER_SPLIT,
        /** The neper seed's out-of-tree gve: private flags enable-header-split and friends. */
        GVE_PRIVATE_FLAGS
    }

    private final Nic nic;
    private final NicRecordStore store;
    private NicRecord record;
    private Profile profile;
    private boolean restored;

    private NicSetup(Nic nic, NicRecordStore store) {
        this.nic = nic;
        this.store = store;
        this.record = new NicRecord(NicRecord.SCHEMA_VERSION, nic.name(), ProcessHandle.current().pid(), List.of());
    }

    /** Applies the devmem receive settings; on failure undoes what it did and throws. */
    public static NicSetup applyReceiveProfile(Nic nic, ReceivePlan plan, NicRecordStore store) throws IOException {
        restoreStale(nic.name(), store);
        NicSetup setup = new NicSetup(nic, store);
        try (EthtoolNetlink ethtool = EthtoolNetlink.open(); EthtoolIoctl ioctl = EthtoolIoctl.open()) {
            setup.profile = setup.enableHeaderSplit(ethtool);
            setup.setFeature(ethtool, EthtoolNetlink.NTUPLE_FEATURE, true, "has no ntuple flow steering");
            setup.keepRssOff(ethtool, plan);
            for (FlowRule rule : plan.rules()) {
                setup.insertRule(ioctl, rule);
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
        restoreStale(nic.name(), store);
        NicSetup setup = new NicSetup(nic, store);
        try (EthtoolNetlink ethtool = EthtoolNetlink.open()) {
            setup.setFeature(ethtool, feature, on, "cannot change " + feature);
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

    /**
     * Undoes the changes a previous run recorded for this interface (in this network namespace). A
     * record whose process is still alive means another run holds the NIC: that is an error.
     */
    public static void restoreStale(String link, NicRecordStore store) throws IOException {
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
        List<String> errors = undoAll(link, record.changes(), store, record);
        if (!errors.isEmpty()) {
            throw new IOException(link + ": cannot undo the NIC changes a killed run left: " + String.join("; ", errors));
        }
    }

    private Profile enableHeaderSplit(EthtoolNetlink ethtool) throws IOException {
        Rings rings = null;
        String ringsProblem;
        try {
            rings = ethtool.rings(nic.name());
            ringsProblem = rings.reportsHeaderSplit() ? null : "rings report no tcp-data-split";
        } catch (SysCallException e) {
            ringsProblem = e.getMessage();
        }
        if (ringsProblem == null) {
            if (rings.tcpDataSplit() != Rings.TCP_DATA_SPLIT_ENABLED) {
                change(new NicChange(NicChange.Setting.TCP_DATA_SPLIT, "", String.valueOf(rings.tcpDataSplit())),
                        () -> ethtool.setRings(nic.name(), Rings.TCP_DATA_SPLIT_ENABLED, null),
                        "cannot turn TCP header split on");
            }
            if (rings.hdsThreshold() != null && rings.hdsThreshold() != 0) {
                change(new NicChange(NicChange.Setting.HDS_THRESHOLD, "", String.valueOf(rings.hdsThreshold())),
                        () -> ethtool.setRings(nic.name(), null, 0L), "cannot set hds-thresh to 0");
            }
            return Profile.RINGS_HEADER_SPLIT;
        }
        Map<String, Boolean> flags;
        try {
            flags = ethtool.privateFlags(nic.name());
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
                        () -> ethtool.setPrivateFlag(nic.name(), flag, true), "cannot turn private flag " + flag + " on");
            }
        }
        return Profile.GVE_PRIVATE_FLAGS;
    }

    private void setFeature(EthtoolNetlink ethtool, String feature, boolean on, String unsupportedText)
            throws IOException {
        EthtoolNetlink.Features features = ethtool.features(nic.name());
        if (features.isActive(feature) == on) {
            return;
        }
        if (!features.isChangeable(feature)) {
            throw missing(unsupportedText + " (" + feature + " is not a changeable feature)", null);
        }
        change(new NicChange(NicChange.Setting.FEATURE, feature, String.valueOf(!on)),
                () -> ethtool.setFeature(nic.name(), feature, on), unsupportedText);
    }

    /** ethtool -X equal queueStart when any entry points at a devmem queue. */
    private void keepRssOff(EthtoolNetlink ethtool, ReceivePlan plan) throws IOException {
        int[] table;
        try {
            table = ethtool.rssIndirection(nic.name());
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
        String original = Arrays.stream(table).mapToObj(String::valueOf).collect(Collectors.joining(","));
        change(new NicChange(NicChange.Setting.RSS_INDIRECTION, "", original),
                () -> ethtool.setRssIndirection(nic.name(), equal), "cannot set the RSS indirection table");
    }

    /** Inserts the 5-tuple rule, falling back to the 3-tuple when the NIC refuses source ports. */
    private void insertRule(EthtoolIoctl ioctl, FlowRule rule) throws IOException {
        int location;
        try {
            location = ioctl.insertRule(nic.name(), rule);
        } catch (SysCallException e) {
            if (rule.sourcePort() < 0 || (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP)) {
                throw unsupportedOr(e, "cannot insert the flow rule " + rule);
            }
            try {
                location = ioctl.insertRule(nic.name(), rule.withoutSourcePort());
            } catch (SysCallException again) {
                throw unsupportedOr(again, "cannot insert the flow rule " + rule.withoutSourcePort());
            }
        }
        record = record.with(new NicChange(NicChange.Setting.FLOW_RULE, String.valueOf(location), ""));
        store.write(record);
        RunLog.info(nic.name() + ": flow rule " + rule + " at location " + location);
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
        return undoAll(nic.name(), record.changes(), store, record);
    }

    /**
     * Undoes changes newest first. Whatever cannot be undone stays in the record file, so the next run
     * tries again; the file goes once everything is undone.
     */
    private static List<String> undoAll(String link, List<NicChange> changes, NicRecordStore store, NicRecord record) {
        List<String> errors = new ArrayList<>();
        List<NicChange> left = new ArrayList<>();
        try (EthtoolNetlink ethtool = EthtoolNetlink.open(); EthtoolIoctl ioctl = EthtoolIoctl.open()) {
            for (int i = changes.size() - 1; i >= 0; i--) {
                NicChange change = changes.get(i);
                try {
                    undo(link, change, ethtool, ioctl);
                    RunLog.info(link + ": restored " + change);
                } catch (IOException | RuntimeException e) {
                    errors.add("undo " + change + ": " + e.getMessage());
                    left.addFirst(change);
                }
            }
        } catch (IOException e) {
            errors.add("cannot open ethtool to restore: " + e.getMessage());
            left.addAll(changes);
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

    private static void undo(String link, NicChange change, EthtoolNetlink ethtool, EthtoolIoctl ioctl)
            throws IOException {
        switch (change.setting()) {
            case TCP_DATA_SPLIT -> ethtool.setRings(link, Integer.parseInt(change.original()), null);
            case HDS_THRESHOLD -> ethtool.setRings(link, null, Long.parseLong(change.original()));
            case FEATURE -> ethtool.setFeature(link, change.key(), Boolean.parseBoolean(change.original()));
            case PRIVATE_FLAG -> ethtool.setPrivateFlag(link, change.key(), Boolean.parseBoolean(change.original()));
            case RSS_INDIRECTION -> ethtool.setRssIndirection(link,
                    Arrays.stream(change.original().split(",")).mapToInt(Integer::parseInt).toArray());
            case FLOW_RULE -> {
                try {
                    ioctl.deleteRule(link, Integer.parseInt(change.key()));
                } catch (SysCallException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                }
            }
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
