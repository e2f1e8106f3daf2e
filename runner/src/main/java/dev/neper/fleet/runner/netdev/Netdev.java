package dev.neper.fleet.runner.netdev;

import dev.neper.fleet.runner.netlink.Attributes;
import dev.neper.fleet.runner.netlink.GenericNetlink;
import dev.neper.fleet.runner.netlink.GenlFamily;
import dev.neper.fleet.runner.netlink.MessageBuilder;
import dev.neper.fleet.runner.netlink.NetlinkException;
import dev.neper.fleet.runner.netlink.NetlinkParseException;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.MissingSupportException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The netdev generic netlink family (version 1): dev-get, queue-get, and the devmem binds. Queries
 * share this object's socket; each bind opens a socket of its own, which the returned
 * {@link DevmemBinding} keeps open for as long as the binding must live.
 */
public final class Netdev implements AutoCloseable {
    public static final String FAMILY = "netdev";
    public static final int CMD_DEV_GET = 1;
    public static final int CMD_QUEUE_GET = 10;
    public static final int CMD_BIND_RX = 13;
    public static final int CMD_BIND_TX = 15;

    static final int DEV_IFINDEX = 1;
    static final int DEV_XDP_FEATURES = 3;
    static final int QUEUE_ID = 1;
    static final int QUEUE_IFINDEX = 2;
    static final int QUEUE_TYPE = 3;
    static final int QUEUE_NAPI_ID = 4;
    static final int QUEUE_DMABUF = 5;
    static final int DMABUF_IFINDEX = 1;
    static final int DMABUF_QUEUES = 2;
    static final int DMABUF_FD = 3;
    static final int DMABUF_ID = 4;

    private final GenericNetlink netlink;
    private final GenlFamily family;

    private Netdev(GenericNetlink netlink, GenlFamily family) {
        this.netlink = netlink;
        this.family = family;
    }

    public static Netdev open() throws IOException {
        GenericNetlink.Connection c = GenericNetlink.connect(FAMILY);
        return new Netdev(c.netlink(), c.family());
    }

    public GenlFamily family() {
        return family;
    }

    public DeviceInfo device(int ifindex) throws IOException {
        MessageBuilder m = GenericNetlink.command(family, CMD_DEV_GET).u32(DEV_IFINDEX, "ifindex", ifindex);
        List<Attributes> replies = netlink.execute("netdev dev-get ifindex " + ifindex, m);
        if (replies.isEmpty()) {
            throw new NetlinkParseException("netdev dev-get returned no reply");
        }
        Attributes a = replies.getFirst();
        return new DeviceInfo(a.require(DEV_IFINDEX, "ifindex").u32(),
                a.has(DEV_XDP_FEATURES) ? a.require(DEV_XDP_FEATURES, "xdp-features").u64() : 0);
    }

    public QueueInfo queue(int ifindex, int id, QueueType type) throws IOException {
        MessageBuilder m = GenericNetlink.command(family, CMD_QUEUE_GET)
                .u32(QUEUE_IFINDEX, "ifindex", ifindex).u32(QUEUE_TYPE, "type", type.value()).u32(QUEUE_ID, "id", id);
        List<Attributes> replies = netlink.execute("netdev queue-get ifindex " + ifindex + " " + type + " " + id, m);
        if (replies.isEmpty()) {
            throw new NetlinkParseException("netdev queue-get returned no reply");
        }
        return queueInfo(replies.getFirst());
    }

    /** Every queue of a device (a dump filtered by ifindex). */
    public List<QueueInfo> queues(int ifindex) throws IOException {
        MessageBuilder m = GenericNetlink.command(family, CMD_QUEUE_GET).u32(QUEUE_IFINDEX, "ifindex", ifindex);
        List<QueueInfo> queues = new ArrayList<>();
        for (Attributes a : netlink.dump("netdev queue-get dump ifindex " + ifindex, m)) {
            queues.add(queueInfo(a));
        }
        return queues;
    }

    /** A queue-get reply; a queue type this runner does not know is an error naming it, never read as RX. */
    static QueueInfo queueInfo(Attributes a) throws NetlinkParseException {
        int id = a.require(QUEUE_ID, "id").u32();
        int type = a.require(QUEUE_TYPE, "type").u32();
        QueueType known = QueueType.of(type).orElseThrow(() -> new NetlinkParseException("netdev queue-get: queue "
                + id + " has type " + Integer.toUnsignedString(type) + ", which is neither RX (0) nor TX (1)"));
        return new QueueInfo(a.require(QUEUE_IFINDEX, "ifindex").u32(), id, known,
                a.has(QUEUE_NAPI_ID) ? a.require(QUEUE_NAPI_ID, "napi-id").u32() : null,
                a.has(QUEUE_DMABUF) ? a.require(QUEUE_DMABUF, "dmabuf").u32() : null);
    }

    /** The bind-rx request: ifindex, the dmabuf fd, one queues nest {id, type RX} per queue. */
    public static MessageBuilder bindRxRequest(GenlFamily family, int ifindex, int dmabufFd, List<Integer> queues) {
        MessageBuilder m = GenericNetlink.command(family, CMD_BIND_RX)
                .u32(DMABUF_IFINDEX, "ifindex", ifindex).u32(DMABUF_FD, "fd", dmabufFd);
        for (int i = 0; i < queues.size(); i++) {
            int nest = m.beginNest(DMABUF_QUEUES, "queues[" + i + "]");
            m.u32(QUEUE_ID, "queues[" + i + "].id", queues.get(i));
            m.u32(QUEUE_TYPE, "queues[" + i + "].type", QueueType.RX.value());
            m.endNest(nest);
        }
        return m;
    }

    public static MessageBuilder bindTxRequest(GenlFamily family, int ifindex, int dmabufFd) {
        return GenericNetlink.command(family, CMD_BIND_TX)
                .u32(DMABUF_IFINDEX, "ifindex", ifindex).u32(DMABUF_FD, "fd", dmabufFd);
    }

    /**
     * Binds a dmabuf to RX queues of a device. EOPNOTSUPP, the answer of a driver without the queue
     * API, becomes a {@link MissingSupportException} naming the link and the driver.
     */
    public static DevmemBinding bindRx(String link, String driver, int ifindex, int dmabufFd, List<Integer> queues)
            throws IOException {
        String what = "bind-rx of " + link + " queues " + queues;
        return bind(what, link, driver, "has no devmem RX queue API", family -> bindRxRequest(family, ifindex,
                dmabufFd, queues));
    }

    /** Binds a dmabuf to a device for devmem TX; EOPNOTSUPP means the driver has no netmem TX. */
    public static DevmemBinding bindTx(String link, String driver, int ifindex, int dmabufFd) throws IOException {
        return bind("bind-tx of " + link, link, driver, "has no devmem TX support (netmem_tx)",
                family -> bindTxRequest(family, ifindex, dmabufFd));
    }

    /**
     * Confirms that a bind-rx took effect: queue-get must show the binding's dma-buf on every bound
     * queue. A bind-rx id alone proves nothing about the queues (a reset that failed, a driver that
     * restarted them without the memory provider); the run must not go on receiving into nothing.
     */
    public static void confirmRxBinding(String link, int ifindex, List<Integer> queues, int bindingId)
            throws IOException {
        List<QueueInfo> found = new ArrayList<>();
        try (Netdev netdev = open()) {
            for (int queue : queues) {
                found.add(netdev.queue(ifindex, queue, QueueType.RX));
            }
        }
        List<String> wrong = notBound(found, bindingId);
        if (!wrong.isEmpty()) {
            throw new IOException(link + ": bind-rx returned binding " + bindingId + " but queue-get shows "
                    + String.join(", ", wrong));
        }
    }

    /** The queues that do not carry the binding's dma-buf, in words ("queue 9 with no dma-buf"). */
    static List<String> notBound(List<QueueInfo> queues, int bindingId) {
        return queues.stream().filter(q -> q.dmabufBinding() == null || q.dmabufBinding() != bindingId)
                .map(q -> "queue " + q.id() + (q.dmabufBinding() == null ? " with no dma-buf"
                        : " with dma-buf binding " + q.dmabufBinding()))
                .toList();
    }

    /** Builds a request once the family (and so its id) is known. */
    @FunctionalInterface
    public interface RequestFor {
        MessageBuilder build(GenlFamily family);
    }

    private static DevmemBinding bind(String what, String link, String driver, String unsupportedText,
                                      RequestFor request) throws IOException {
        GenericNetlink.Connection connection = GenericNetlink.connect(FAMILY);
        GenericNetlink socket = connection.netlink();
        try {
            List<Attributes> replies;
            try {
                replies = socket.execute("netdev " + what, request.build(connection.family()));
            } catch (NetlinkException e) {
                if (e.errno() == Errno.EOPNOTSUPP) {
                    throw new MissingSupportException(link + ": driver " + driver + " " + unsupportedText + " ("
                            + (what.startsWith("bind-rx") ? "bind-rx" : "bind-tx") + " EOPNOTSUPP"
                            + (e.extackMessage() != null ? ": \"" + e.extackMessage() + "\"" : "") + ")", e);
                }
                throw e;
            }
            if (replies.isEmpty()) {
                throw new NetlinkParseException("netdev " + what + " answered with an ACK only, no binding id");
            }
            int id = replies.getFirst().require(DMABUF_ID, "binding id").u32();
            return new DevmemBinding(socket, id, what);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void close() {
        netlink.close();
    }
}
