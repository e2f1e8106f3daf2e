package dev.neper.fleet.runner.ethtool;

import dev.neper.fleet.runner.netlink.Attribute;
import dev.neper.fleet.runner.netlink.Attributes;
import dev.neper.fleet.runner.netlink.GenericNetlink;
import dev.neper.fleet.runner.netlink.GenlFamily;
import dev.neper.fleet.runner.netlink.MessageBuilder;
import dev.neper.fleet.runner.netlink.NetlinkParseException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ethtool generic netlink family, for the settings devmem needs: rings (header split and its
 * threshold), features (ntuple), private flags, channels and the RSS indirection table. Devices are
 * named in the request header, so they resolve in the calling thread's network namespace.
 */
public final class EthtoolNetlink implements AutoCloseable {
    public static final String FAMILY = "ethtool";
    static final int LINKMODES_GET = 4;
    static final int FEATURES_GET = 11;
    static final int FEATURES_SET = 12;
    static final int PRIVFLAGS_GET = 13;
    static final int PRIVFLAGS_SET = 14;
    static final int RINGS_GET = 15;
    static final int RINGS_SET = 16;
    static final int CHANNELS_GET = 17;
    static final int RSS_GET = 38;
    static final int RSS_SET = 48;

    static final int HEADER = 1;
    static final int HEADER_DEV_NAME = 2;
    static final int FEATURES_HW = 2;
    static final int FEATURES_WANTED = 3;
    static final int FEATURES_ACTIVE = 4;
    static final int PRIVFLAGS_FLAGS = 2;
    static final int RINGS_RX = 6;
    static final int RINGS_TX = 9;
    static final int RINGS_TCP_DATA_SPLIT = 11;
    static final int RINGS_HDS_THRESH = 17;
    static final int RINGS_HDS_THRESH_MAX = 18;
    static final int CHANNELS_RX_MAX = 2;
    static final int CHANNELS_COMBINED_MAX = 5;
    static final int CHANNELS_RX_COUNT = 6;
    static final int CHANNELS_TX_COUNT = 7;
    static final int CHANNELS_COMBINED_COUNT = 9;
    static final int RSS_INDIR = 4;
    static final int LINKMODES_SPEED = 5;
    /** SPEED_UNKNOWN (-1) as the u32 the kernel sends. */
    static final long SPEED_UNKNOWN = 0xffffffffL;

    public static final String NTUPLE_FEATURE = "rx-ntuple-filter";

    private final GenericNetlink netlink;
    private final GenlFamily family;

    private EthtoolNetlink(GenericNetlink netlink, GenlFamily family) {
        this.netlink = netlink;
        this.family = family;
    }

    public static EthtoolNetlink open() throws IOException {
        GenericNetlink.Connection c = GenericNetlink.connect(FAMILY);
        return new EthtoolNetlink(c.netlink(), c.family());
    }

    public GenlFamily family() {
        return family;
    }

    /** A request whose first attribute is the header nest naming the device. */
    MessageBuilder request(int command, String device) {
        return request(family, command, device);
    }

    static MessageBuilder request(GenlFamily family, int command, String device) {
        MessageBuilder m = GenericNetlink.command(family, command);
        int header = m.beginNest(HEADER, "header");
        m.string(HEADER_DEV_NAME, "header.dev-name", device);
        m.endNest(header);
        return m;
    }

    private Attributes get(String name, MessageBuilder request) throws IOException {
        List<Attributes> replies = netlink.execute(name, request);
        if (replies.isEmpty()) {
            throw new NetlinkParseException(name + " returned no reply");
        }
        return replies.getFirst();
    }

    /** The link speed in Mbit/s (LINKMODES_GET); null when the driver does not know it (a link that is down). */
    public Integer speedMbps(String device) throws IOException {
        Attributes a = get("ethtool linkmodes-get " + device, request(LINKMODES_GET, device));
        Long speed = unsigned(a, LINKMODES_SPEED);
        return speed == null || speed == SPEED_UNKNOWN || speed == 0 ? null : speed.intValue();
    }

    public Rings rings(String device) throws IOException {
        Attributes a = get("ethtool rings-get " + device, request(RINGS_GET, device));
        return new Rings(unsigned(a, RINGS_RX), unsigned(a, RINGS_TX),
                a.has(RINGS_TCP_DATA_SPLIT) ? a.require(RINGS_TCP_DATA_SPLIT, "tcp-data-split").u8() : null,
                unsigned(a, RINGS_HDS_THRESH), unsigned(a, RINGS_HDS_THRESH_MAX));
    }

    /** Sets header split and/or its threshold; a null argument is left alone. */
    public void setRings(String device, Integer tcpDataSplit, Long hdsThreshold) throws IOException {
        MessageBuilder m = request(RINGS_SET, device);
        if (tcpDataSplit != null) {
            m.u8(RINGS_TCP_DATA_SPLIT, "tcp-data-split", tcpDataSplit);
        }
        if (hdsThreshold != null) {
            m.u32(RINGS_HDS_THRESH, "hds-thresh", hdsThreshold.intValue());
        }
        netlink.execute("ethtool rings-set " + device, m);
    }

    /** The features the driver lets the user change (hw) and the active ones, by name. */
    public record Features(Map<String, Boolean> changeable, Map<String, Boolean> active) {
        public boolean isChangeable(String name) {
            return changeable.getOrDefault(name, false);
        }

        public boolean isActive(String name) {
            return active.getOrDefault(name, false);
        }
    }

    /** ETHTOOL_MSG_FEATURES_GET: the device's changeable (hw) and active features. */
    public Features features(String device) throws IOException {
        return parseFeatures(get("ethtool features-get " + device, request(FEATURES_GET, device)));
    }

    /** A FEATURES_GET reply: hw is a value/mask bitset over every feature, active a plain list of the set ones. */
    static Features parseFeatures(Attributes reply) throws NetlinkParseException {
        return new Features(Bitset.parse(reply.nested(FEATURES_HW, "hw features")),
                Bitset.parse(reply.nested(FEATURES_ACTIVE, "active features")));
    }

    /** ETHTOOL_MSG_FEATURES_SET changing one feature: WANTED holds only that bit, by name, with its new value. */
    static MessageBuilder featureSetRequest(GenlFamily family, String device, String feature, boolean on) {
        MessageBuilder m = request(family, FEATURES_SET, device);
        Bitset.write(m, FEATURES_WANTED, "wanted", Map.of(feature, on));
        return m;
    }

    /**
     * Whether a FEATURES_SET reply lists the feature in WANTED, where the kernel puts the requested
     * bits that did not become active.
     */
    static boolean refused(Attributes setReply, String feature) throws NetlinkParseException {
        return setReply.has(FEATURES_WANTED)
                && Bitset.parse(setReply.nested(FEATURES_WANTED, "wanted diff")).containsKey(feature);
    }

    /**
     * Turns one feature on or off (ETHTOOL_MSG_FEATURES_SET). A reply naming the feature among the
     * bits the kernel could not honour is an error, since the feature did not change.
     */
    public void setFeature(String device, String feature, boolean on) throws IOException {
        String name = "ethtool features-set " + device + " " + feature + " " + (on ? "on" : "off");
        for (Attributes reply : netlink.execute(name, featureSetRequest(family, device, feature, on))) {
            if (refused(reply, feature)) {
                throw new IOException(name + ": the driver did not change " + feature
                        + " (it may be fixed for this device)");
            }
        }
        Features after = features(device);
        if (after.isActive(feature) != on) {
            throw new IOException(name + ": " + feature + " is still " + (on ? "off" : "on") + " after the change");
        }
    }

    public Map<String, Boolean> privateFlags(String device) throws IOException {
        Attributes a = get("ethtool privflags-get " + device, request(PRIVFLAGS_GET, device));
        return a.has(PRIVFLAGS_FLAGS) ? Bitset.parse(a.nested(PRIVFLAGS_FLAGS, "private flags")) : Map.of();
    }

    public void setPrivateFlag(String device, String flag, boolean on) throws IOException {
        MessageBuilder m = request(PRIVFLAGS_SET, device);
        Bitset.write(m, PRIVFLAGS_FLAGS, "flags", Map.of(flag, on));
        netlink.execute("ethtool privflags-set " + device + " " + flag + " " + (on ? "on" : "off"), m);
    }

    public Channels channels(String device) throws IOException {
        Attributes a = get("ethtool channels-get " + device, request(CHANNELS_GET, device));
        return new Channels(unsigned(a, CHANNELS_RX_COUNT), unsigned(a, CHANNELS_TX_COUNT),
                unsigned(a, CHANNELS_COMBINED_COUNT), unsigned(a, CHANNELS_RX_MAX), unsigned(a, CHANNELS_COMBINED_MAX));
    }

    /** The default RSS context's indirection table (queue per entry). */
    public int[] rssIndirection(String device) throws IOException {
        Attributes a = get("ethtool rss-get " + device, request(RSS_GET, device));
        Optional<Attribute> indir = a.first(RSS_INDIR);
        if (indir.isEmpty()) {
            return new int[0];
        }
        MemorySegment table = indir.get().payload();
        return table.asSlice(0, table.byteSize() & ~3L).toArray(ValueLayout.JAVA_INT_UNALIGNED);
    }

    /** Whether this kernel's ethtool netlink can set the RSS table (RSS_SET is recent; older kernels need the ioctl). */
    public boolean setsRss() {
        return family.supports(RSS_SET);
    }

    /**
     * RSS_SET of the default context's whole table; an empty table (a zero-length RSS_INDIR) resets it to
     * the default spread, which also marks it as not user-configured again.
     */
    public void setRssIndirection(String device, int[] table) throws IOException {
        netlink.execute("ethtool rss-set " + device + (table.length == 0 ? " (reset)" : ""), rssSetRequest(device, table));
    }

    MessageBuilder rssSetRequest(String device, int[] table) {
        return request(RSS_SET, device).u32Array(RSS_INDIR, "indir", table);
    }

    private static Long unsigned(Attributes a, int type) throws NetlinkParseException {
        return a.has(type) ? a.require(type, "attribute " + type).unsigned() : null;
    }

    @Override
    public void close() {
        netlink.close();
    }
}
