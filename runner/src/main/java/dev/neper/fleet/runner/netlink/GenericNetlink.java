package dev.neper.fleet.runner.netlink;

import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Generic netlink over one {@link NetlinkSocket}: family lookup through nlctrl, then requests to a family. */
public final class GenericNetlink implements AutoCloseable {
    private final NetlinkSocket socket;

    private GenericNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static GenericNetlink open() throws SysCallException {
        return new GenericNetlink(NetlinkSocket.open(Netlink.NETLINK_GENERIC));
    }

    /** A socket and the family it resolved: the start of every family client. */
    public record Connection(GenericNetlink netlink, GenlFamily family) implements AutoCloseable {
        @Override
        public void close() {
            netlink.close();
        }
    }

    /** Opens a socket and resolves a family on it; the socket is closed again if the family is missing. */
    public static Connection connect(String familyName) throws IOException {
        GenericNetlink netlink = open();
        try {
            return new Connection(netlink, netlink.family(familyName));
        } catch (IOException | RuntimeException e) {
            netlink.close();
            throw e;
        }
    }

    public NetlinkSocket socket() {
        return socket;
    }

    /**
     * Resolves a family by name; a kernel without it answers ENOENT, which becomes an exception saying
     * so in words.
     */
    public GenlFamily family(String name) throws IOException {
        MessageBuilder request = MessageBuilder.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_GETFAMILY, 1)
                .string(Netlink.CTRL_ATTR_FAMILY_NAME, "family-name", name);
        List<NetlinkMessage> replies;
        try {
            replies = socket.request("nlctrl getfamily " + name, request);
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new SysCallException("nlctrl getfamily " + name, Errno.ENOENT,
                        "this kernel has no generic netlink family '" + name + "'");
            }
            throw e;
        }
        if (replies.isEmpty()) {
            throw new NetlinkParseException("nlctrl answered getfamily " + name + " with an ACK only");
        }
        return parseFamily(replies.getFirst().genlAttributes());
    }

    static GenlFamily parseFamily(Attributes attrs) throws NetlinkParseException {
        String name = attrs.require(Netlink.CTRL_ATTR_FAMILY_NAME, "family name").string();
        int id = attrs.require(Netlink.CTRL_ATTR_FAMILY_ID, "family id").u16();
        int version = attrs.first(Netlink.CTRL_ATTR_VERSION).isPresent()
                ? attrs.require(Netlink.CTRL_ATTR_VERSION, "version").u32() : 0;
        Map<Integer, Integer> ops = new HashMap<>();
        if (attrs.has(Netlink.CTRL_ATTR_OPS)) {
            for (Attribute op : attrs.nested(Netlink.CTRL_ATTR_OPS, "ops").all()) {
                Attributes fields = op.nestedAttributes();
                int opId = fields.require(Netlink.CTRL_ATTR_OP_ID, "op id").u32();
                int flags = fields.has(Netlink.CTRL_ATTR_OP_FLAGS)
                        ? fields.require(Netlink.CTRL_ATTR_OP_FLAGS, "op flags").u32() : 0;
                ops.put(opId, flags);
            }
        }
        return new GenlFamily(name, id, version, ops);
    }

    /** A request builder for a command of a family. */
    public static MessageBuilder command(GenlFamily family, int command) {
        return MessageBuilder.genl(family.id(), 0, command, family.version());
    }

    /** Sends with ACK; returns the attributes of each reply message before the ACK. */
    public List<Attributes> execute(String name, MessageBuilder request) throws IOException {
        return attributesOf(socket.request(name, request));
    }

    public List<Attributes> dump(String name, MessageBuilder request) throws IOException {
        return attributesOf(socket.dump(name, request));
    }

    private static List<Attributes> attributesOf(List<NetlinkMessage> messages) throws NetlinkParseException {
        List<Attributes> all = new java.util.ArrayList<>();
        for (NetlinkMessage m : messages) {
            all.add(m.genlAttributes());
        }
        return all;
    }

    @Override
    public void close() {
        socket.close();
    }
}
