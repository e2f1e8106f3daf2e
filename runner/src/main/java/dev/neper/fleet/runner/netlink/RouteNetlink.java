package dev.neper.fleet.runner.netlink;

import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * rtnetlink (NETLINK_ROUTE) in the calling thread's network namespace: the RTM_GETLINK and RTM_GETADDR
 * dumps, as {@code ip link} and {@code ip addr} read them. Layouts from uapi linux/rtnetlink.h,
 * linux/if_link.h and linux/if_addr.h: ifinfomsg (16 B: family u8, pad, type u16, index s32, flags
 * u32, change u32) and ifaddrmsg (8 B: family u8, prefixlen u8, flags u8, scope u8, index u32).
 */
public final class RouteNetlink implements AutoCloseable {
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int IFINFOMSG_SIZE = 16;
    static final int IFADDRMSG_SIZE = 8;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_NUM_RX_QUEUES = 32;
    static final int IFLA_PARENT_DEV_NAME = 56;
    static final int IFLA_PARENT_DEV_BUS_NAME = 57;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    /** ARPHRD_LOOPBACK (uapi linux/if_arp.h). */
    public static final int ARPHRD_LOOPBACK = 772;
    /** RFC 2863 operational states in IF_OPER_* order (uapi linux/if.h). */
    private static final List<String> OPERSTATES =
            List.of("unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up");

    /**
     * A link: ifindex, name, ARPHRD type, IFF flags, operstate, MTU, RX queues allocated, the driver kind
     * of a virtual device ("veth"; null for a physical one), the parent device's bus and name ("pci",
     * "0000:06:00.0") when it has one.
     */
    public record Link(int index, String name, int type, int flags, String operstate, Integer mtu, Integer rxQueues,
                       String kind, String parentBus, String parentDevice) {
    }

    /** An address of a link with its prefix length, e.g. 198.18.1.1/24. */
    public record Address(int index, InetAddress address, int prefixLength) {
        /** "198.18.1.1/24", "fe80::1/64" (IPv6 in RFC 5952's short form, as ip prints it). */
        public String text() {
            return (address instanceof Inet6Address ? shortIpv6(address.getAddress()) : address.getHostAddress()) + "/"
                    + prefixLength;
        }

        /** RFC 5952: lower-case hex groups without leading zeros, the longest run of two or more zero groups as "::". */
        static String shortIpv6(byte[] bytes) {
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = (Byte.toUnsignedInt(bytes[2 * i]) << 8) | Byte.toUnsignedInt(bytes[2 * i + 1]);
            }
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; ) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j == i ? i + 1 : j;
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    text.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
            return text.toString();
        }
    }

    private final NetlinkSocket socket;

    private RouteNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static RouteNetlink open() throws SysCallException {
        return new RouteNetlink(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    }

    public List<Link> links() throws IOException {
        return dump("rtnetlink getlink", RTM_GETLINK, IFINFOMSG_SIZE, RTM_NEWLINK, RouteNetlink::link);
    }

    public List<Address> addresses() throws IOException {
        return dump("rtnetlink getaddr", RTM_GETADDR, IFADDRMSG_SIZE, RTM_NEWADDR, RouteNetlink::address);
    }

    private interface Parser<T> {
        T parse(MemorySegment payload) throws NetlinkParseException;
    }

    /** A dump of every object of a kind (all-zero family header: every family, every device), parsed. */
    private <T> List<T> dump(String name, int request, int headerSize, int reply, Parser<T> parser) throws IOException {
        List<T> all = new ArrayList<>();
        for (NetlinkMessage m : socket.dump(name, MessageBuilder.withHeader(request, 0, headerSize))) {
            if (m.type() == reply) {
                all.add(parser.parse(m.payload()));
            }
        }
        return all;
    }

    static Link link(MemorySegment payload) throws NetlinkParseException {
        if (payload.byteSize() < IFINFOMSG_SIZE) {
            throw new NetlinkParseException("RTM_NEWLINK of " + payload.byteSize() + " bytes has no ifinfomsg");
        }
        int type = Short.toUnsignedInt(payload.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2));
        int index = payload.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
        int flags = payload.get(ValueLayout.JAVA_INT_UNALIGNED, 8);
        Attributes a = Attributes.parse(payload.asSlice(IFINFOMSG_SIZE));
        String name = a.require(IFLA_IFNAME, "link name").string();
        Integer operstate = a.has(IFLA_OPERSTATE) ? a.require(IFLA_OPERSTATE, "operstate").u8() : null;
        String kind = null;
        if (a.has(IFLA_LINKINFO)) {
            Attributes info = a.nested(IFLA_LINKINFO, "linkinfo");
            kind = info.has(IFLA_INFO_KIND) ? info.require(IFLA_INFO_KIND, "kind").string() : null;
        }
        return new Link(index, name, type, flags,
                operstate == null ? null : operstate < OPERSTATES.size() ? OPERSTATES.get(operstate) : "state " + operstate,
                a.has(IFLA_MTU) ? a.require(IFLA_MTU, "mtu").u32() : null,
                a.has(IFLA_NUM_RX_QUEUES) ? a.require(IFLA_NUM_RX_QUEUES, "rx queues").u32() : null, kind,
                a.has(IFLA_PARENT_DEV_BUS_NAME) ? a.require(IFLA_PARENT_DEV_BUS_NAME, "bus").string() : null,
                a.has(IFLA_PARENT_DEV_NAME) ? a.require(IFLA_PARENT_DEV_NAME, "parent").string() : null);
    }

    /** IFA_LOCAL is the interface's own address where it differs from IFA_ADDRESS (the peer of a point-to-point link). */
    static Address address(MemorySegment payload) throws NetlinkParseException {
        if (payload.byteSize() < IFADDRMSG_SIZE) {
            throw new NetlinkParseException("RTM_NEWADDR of " + payload.byteSize() + " bytes has no ifaddrmsg");
        }
        int prefix = Byte.toUnsignedInt(payload.get(ValueLayout.JAVA_BYTE, 1));
        int index = payload.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
        Attributes a = Attributes.parse(payload.asSlice(IFADDRMSG_SIZE));
        Attribute address = a.first(IFA_LOCAL).or(() -> a.first(IFA_ADDRESS))
                .orElseThrow(() -> new NetlinkParseException("RTM_NEWADDR for ifindex " + index + " has no address"));
        try {
            return new Address(index, InetAddress.getByAddress(address.payload().toArray(ValueLayout.JAVA_BYTE)), prefix);
        } catch (UnknownHostException e) {
            throw new NetlinkParseException("RTM_NEWADDR for ifindex " + index + ": an address of " + address.length()
                    + " bytes");
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
