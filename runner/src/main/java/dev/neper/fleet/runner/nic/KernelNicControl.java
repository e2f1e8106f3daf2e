package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.ethtool.EthtoolNetlink;
import dev.neper.fleet.runner.ethtool.FlowRule;
import dev.neper.fleet.runner.ethtool.Rings;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@link NicControl} over this thread's network namespace's kernel: one ethtool netlink socket, one ioctl socket. */
public final class KernelNicControl implements NicControl {
    private final EthtoolNetlink netlink;
    private final EthtoolIoctl ioctl;

    private KernelNicControl(EthtoolNetlink netlink, EthtoolIoctl ioctl) {
        this.netlink = netlink;
        this.ioctl = ioctl;
    }

    public static KernelNicControl open() throws IOException {
        EthtoolNetlink netlink = EthtoolNetlink.open();
        try {
            return new KernelNicControl(netlink, EthtoolIoctl.open());
        } catch (IOException | RuntimeException e) {
            netlink.close();
            throw e;
        }
    }

    @Override
    public Rings rings(String device) throws IOException {
        return netlink.rings(device);
    }

    @Override
    public void setRings(String device, Integer tcpDataSplit, Long hdsThreshold) throws IOException {
        netlink.setRings(device, tcpDataSplit, hdsThreshold);
    }

    @Override
    public EthtoolNetlink.Features features(String device) throws IOException {
        return netlink.features(device);
    }

    @Override
    public void setFeature(String device, String feature, boolean on) throws IOException {
        netlink.setFeature(device, feature, on);
    }

    @Override
    public Map<String, Boolean> privateFlags(String device) throws IOException {
        return netlink.privateFlags(device);
    }

    @Override
    public void setPrivateFlag(String device, String flag, boolean on) throws IOException {
        netlink.setPrivateFlag(device, flag, on);
    }

    @Override
    public int[] rssIndirection(String device) throws IOException {
        return netlink.rssIndirection(device);
    }

    @Override
    public int rxRings(String device) throws IOException {
        return ioctl.rxRings(device);
    }

    /** Kernels 6.12 to 6.16 have devmem RX but no RSS_SET: the ioctl is their only way. */
    @Override
    public List<RssPath> rssPaths() {
        return netlink.setsRss() ? List.of(RssPath.NETLINK, RssPath.IOCTL) : List.of(RssPath.IOCTL);
    }

    @Override
    public void setRssIndirection(String device, int[] table, RssPath path) throws IOException {
        switch (path) {
            case NETLINK -> netlink.setRssIndirection(device, table);
            case IOCTL -> ioctl.setRssIndirection(device, table);
        }
    }

    @Override
    public EthtoolIoctl.RuleTable ruleTable(String device) throws IOException {
        return ioctl.ruleTable(device);
    }

    @Override
    public List<Integer> ruleLocations(String device, int count) throws IOException {
        return ioctl.ruleLocations(device, count);
    }

    @Override
    public int insertRule(String device, FlowRule rule, int location) throws IOException {
        return ioctl.insertRule(device, rule, location);
    }

    @Override
    public void deleteRule(String device, int location) throws IOException {
        ioctl.deleteRule(device, location);
    }

    @Override
    public void close() {
        ioctl.close();
        netlink.close();
    }
}
