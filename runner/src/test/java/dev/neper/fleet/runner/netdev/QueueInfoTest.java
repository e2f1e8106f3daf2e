package dev.neper.fleet.runner.netdev;

import dev.neper.fleet.runner.netlink.Attributes;
import dev.neper.fleet.runner.netlink.MessageBuilder;
import dev.neper.fleet.runner.netlink.Netlink;
import dev.neper.fleet.runner.netlink.NetlinkParseException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** queue-get replies as the kernel lays them out; a queue type the runner does not know is an error, not RX. */
class QueueInfoTest {
    private static Attributes reply(int type, Integer dmabuf) throws NetlinkParseException {
        MessageBuilder m = new MessageBuilder(0, 0).u32(Netdev.QUEUE_ID, "id", 3).u32(Netdev.QUEUE_IFINDEX, "ifindex", 7)
                .u32(Netdev.QUEUE_TYPE, "type", type);
        if (dmabuf != null) {
            m.u32(Netdev.QUEUE_DMABUF, "dmabuf", dmabuf);
        }
        return Attributes.parse(m.finish(1).asSlice(Netlink.NLMSG_HDRLEN));
    }

    @Test
    void knownTypes() throws Exception {
        assertEquals(new QueueInfo(7, 3, QueueType.RX, null, 5), Netdev.queueInfo(reply(0, 5)));
        QueueInfo tx = Netdev.queueInfo(reply(1, null));
        assertEquals(QueueType.TX, tx.type());
        assertNull(tx.dmabufBinding());
    }

    @Test
    void anUnknownTypeIsAnErrorNamingTheValue() throws Exception {
        Attributes unknown = reply(2, null);
        NetlinkParseException e = assertThrows(NetlinkParseException.class, () -> Netdev.queueInfo(unknown));
        assertEquals("netdev queue-get: queue 3 has type 2, which is neither RX (0) nor TX (1)", e.getMessage());
    }
}
