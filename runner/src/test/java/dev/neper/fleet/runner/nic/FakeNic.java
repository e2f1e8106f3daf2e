package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.ethtool.EthtoolStructs;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.ethtool.Rings;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.SysCallException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test double of a devmem-capable NIC behind {@link NicControl}, for what this machine's veth cannot
 * show: rings with header split (reporting its state as a driver may, apart from the setting), an RSS
 * table with a default spread over its RX rings, an ntuple rule table. It keeps the settings as the
 * kernel would and logs every call that changes something, so tests check what was asked of the NIC.
 * Knobs reproduce real behaviours: a reported tcp-data-split that differs from the setting, a NIC
 * that refuses rules with source fields, and RSS_SET comparing only the first quarter of the table
 * (6.17/6.18 before stable fix 8d60141a).
 */
final class FakeNic implements NicControl {
    final List<String> calls = new ArrayList<>();
    /** What RINGS_GET reports for tcp-data-split (null: nothing, as for a setting at auto). */
    Integer reportedDataSplit;
    /** The configured value the kernel's bind check reads (hds_config). */
    int configuredDataSplit = Rings.TCP_DATA_SPLIT_UNKNOWN;
    Long hdsThreshold = 0L;
    boolean ntuple;
    int rxRings = 16;
    int[] rss = spread(128, 16);
    boolean rssSetComparesFirstQuarterOnly;
    boolean ioctlRssAlsoIgnored;
    boolean refusesSourceFields;
    boolean driverPicksLocation;
    int ruleTableSize = 8;
    final TreeMap<Integer, FlowRule> rules = new TreeMap<>();

    static int[] spread(int size, int rings) {
        int[] table = new int[size];
        for (int i = 0; i < size; i++) {
            table[i] = i % rings;
        }
        return table;
    }

    @Override
    public Rings rings(String device) {
        return new Rings(1024L, 1024L, reportedDataSplit, hdsThreshold, hdsThreshold == null ? null : 1024L);
    }

    @Override
    public void setRings(String device, Integer tcpDataSplit, Long hds) {
        calls.add("rings-set" + (tcpDataSplit != null ? " tcp-data-split " + tcpDataSplit : "")
                + (hds != null ? " hds-thresh " + hds : ""));
        if (tcpDataSplit != null) {
            configuredDataSplit = tcpDataSplit;
        }
        if (hds != null) {
            hdsThreshold = hds;
        }
    }

    @Override
    public EthtoolNetlink.Features features(String device) {
        return new EthtoolNetlink.Features(Map.of(EthtoolNetlink.NTUPLE_FEATURE, true),
                Map.of(EthtoolNetlink.NTUPLE_FEATURE, ntuple));
    }

    @Override
    public void setFeature(String device, String feature, boolean on) {
        calls.add("features-set " + feature + " " + on);
        ntuple = on;
    }

    @Override
    public Map<String, Boolean> privateFlags(String device) throws SysCallException {
        throw new SysCallException("ethtool privflags-get", Errno.EOPNOTSUPP, device);
    }

    @Override
    public void setPrivateFlag(String device, String flag, boolean on) throws SysCallException {
        throw new SysCallException("ethtool privflags-set", Errno.EOPNOTSUPP, device);
    }

    @Override
    public int[] rssIndirection(String device) {
        return rss.clone();
    }

    @Override
    public int rxRings(String device) {
        return rxRings;
    }

    @Override
    public List<RssPath> rssPaths() {
        return List.of(RssPath.NETLINK, RssPath.IOCTL);
    }

    @Override
    public void setRssIndirection(String device, int[] table, RssPath path) throws SysCallException {
        calls.add("rss-set " + path + (table.length == 0 ? " reset" : " " + Arrays.toString(table)));
        int[] wanted = table.length == 0 ? spread(rss.length, rxRings) : table;
        if (wanted.length != rss.length) {
            throw new SysCallException("rss-set", Errno.EINVAL, device);
        }
        boolean ignored = path == RssPath.NETLINK ? rssSetComparesFirstQuarterOnly
                && Arrays.equals(Arrays.copyOf(wanted, rss.length / 4), Arrays.copyOf(rss, rss.length / 4))
                : ioctlRssAlsoIgnored;
        if (!ignored) {
            rss = wanted.clone();
        }
    }

    @Override
    public EthtoolIoctl.RuleTable ruleTable(String device) {
        return new EthtoolIoctl.RuleTable(rules.size(), ruleTableSize, driverPicksLocation);
    }

    @Override
    public List<Integer> ruleLocations(String device, int count) {
        return new ArrayList<>(rules.keySet());
    }

    @Override
    public int insertRule(String device, FlowRule rule, int location) throws SysCallException {
        calls.add("rule-insert " + rule + " at " + Integer.toUnsignedString(location));
        if (refusesSourceFields && !rule.isDestinationOnly()) {
            throw new SysCallException("SIOCETHTOOL SRXCLSRLINS", Errno.EINVAL, device);
        }
        int at = location == EthtoolStructs.RX_CLS_LOC_ANY ? ruleTableSize - 1 - rules.size() : location;
        if (rules.containsKey(at)) {
            throw new SysCallException("SIOCETHTOOL SRXCLSRLINS", Errno.EEXIST, device);
        }
        rules.put(at, rule);
        return at;
    }

    @Override
    public void deleteRule(String device, int location) throws SysCallException {
        calls.add("rule-delete " + location);
        if (rules.remove(location) == null) {
            throw new SysCallException("SIOCETHTOOL SRXCLSRLDEL", Errno.ENOENT, device);
        }
    }

    @Override
    public void close() {
    }
}
