package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.ethtool.Rings;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The NIC operations {@link NicSetup} makes, by device name: {@link KernelNicControl} carries them
 * out over ethtool netlink and the SIOCETHTOOL ioctl; tests put a NIC this machine lacks behind it.
 */
public interface NicControl extends AutoCloseable {
    /** The two ways an RSS table is written: ethtool netlink RSS_SET (Linux 6.17+) and the SRXFHINDIR ioctl. */
    enum RssPath { NETLINK, IOCTL }

    Rings rings(String device) throws IOException;

    /** Sets header split and/or its threshold; a null argument is left alone. */
    void setRings(String device, Integer tcpDataSplit, Long hdsThreshold) throws IOException;

    EthtoolNetlink.Features features(String device) throws IOException;

    void setFeature(String device, String feature, boolean on) throws IOException;

    Map<String, Boolean> privateFlags(String device) throws IOException;

    void setPrivateFlag(String device, String flag, boolean on) throws IOException;

    /** The default RSS context's indirection table. */
    int[] rssIndirection(String device) throws IOException;

    /** The RX rings RSS spreads over: the default table is entry i = i mod this. */
    int rxRings(String device) throws IOException;

    /** The ways this kernel writes RSS tables, preferred first. */
    List<RssPath> rssPaths();

    /** Writes the whole table; an empty table resets it to the default spread. */
    void setRssIndirection(String device, int[] table, RssPath path) throws IOException;

    EthtoolIoctl.RuleTable ruleTable(String device) throws IOException;

    List<Integer> ruleLocations(String device, int count) throws IOException;

    /** Inserts a rule at a location (or RX_CLS_LOC_ANY); returns where the kernel put it. */
    int insertRule(String device, FlowRule rule, int location) throws IOException;

    void deleteRule(String device, int location) throws IOException;

    @Override
    void close();
}
