package dev.neper.fleet.runner.netlink;

/** Netlink constants (uapi linux/netlink.h and linux/genetlink.h) the runner uses. */
public final class Netlink {
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_GENERIC = 16;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    public static final int NLMSG_HDRLEN = 16;
    public static final int GENL_HDRLEN = 4;
    public static final int NLA_HDRLEN = 4;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    /** On an error reply: the original request's payload was left out (NETLINK_CAP_ACK). */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an error reply: extended-ack TLVs follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;

    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;
    public static final int NLMSGERR_ATTR_MISS_TYPE = 5;
    public static final int NLMSGERR_ATTR_MISS_NEST = 6;

    /** nlctrl, the generic netlink controller, has a fixed id. */
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    public static final int CTRL_ATTR_VERSION = 3;
    public static final int CTRL_ATTR_OPS = 6;
    public static final int CTRL_ATTR_OP_ID = 1;
    public static final int CTRL_ATTR_OP_FLAGS = 2;

    private Netlink() {
    }

    /** NLMSG_ALIGN and NLA_ALIGN: 4 bytes. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }
}
