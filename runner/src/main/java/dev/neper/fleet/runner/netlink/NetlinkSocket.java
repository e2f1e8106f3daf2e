package dev.neper.fleet.runner.netlink;

import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * An AF_NETLINK socket in the calling thread's network namespace, with extended acks and capped
 * error replies turned on. {@link #request} sends with NLM_F_ACK and collects replies until the ACK;
 * {@link #dump} collects until NLMSG_DONE. Receives time out, so a silent kernel is an error, not a
 * hang. Closing the socket releases whatever the kernel ties to it (devmem bindings).
 */
public final class NetlinkSocket implements AutoCloseable {
    static final int RECEIVE_TIMEOUT_SECONDS = 5;
    private static final int SO_RCVTIMEO = 20;
    private static final int MSG_PEEK = 0x2;
    private static final int MSG_TRUNC = 0x20;
    private static final int SOCKADDR_NL_SIZE = 12;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private MemorySegment receiveBuffer;
    private int sequence;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        this.receiveBuffer = arena.allocate(64 * 1024, 8);
        this.sequence = (int) (System.nanoTime() & 0xffff);
    }

    public static NetlinkSocket open(int protocol) throws SysCallException {
        int fd = SysCallException.check("socket(AF_NETLINK)",
                Libc.socket(Netlink.AF_NETLINK, Netlink.SOCK_RAW | Sockets.SOCK_CLOEXEC, protocol));
        NetlinkSocket socket = new NetlinkSocket(fd);
        try {
            socket.configure();
            return socket;
        } catch (SysCallException e) {
            socket.close();
            throw e;
        }
    }

    private void configure() throws SysCallException {
        Sockets.setInt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, "NETLINK_EXT_ACK", 1);
        Sockets.setInt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, "NETLINK_CAP_ACK", 1);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment timeout = a.allocate(16, 8);
            timeout.set(ValueLayout.JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
            SysCallException.check("setsockopt(SO_RCVTIMEO)",
                    Libc.setsockopt(fd, Sockets.SOL_SOCKET, SO_RCVTIMEO, timeout, 16));
            MemorySegment address = a.allocate(SOCKADDR_NL_SIZE, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Netlink.AF_NETLINK);
            SysCallException.check("bind(AF_NETLINK)", Libc.bind(fd, address, SOCKADDR_NL_SIZE));
        }
    }

    /**
     * Sends a request with NLM_F_REQUEST | NLM_F_ACK and returns the messages that came before the
     * ACK. A negative error reply becomes a {@link NetlinkException} carrying the extended ack.
     */
    public synchronized List<NetlinkMessage> request(String name, MessageBuilder message) throws IOException {
        return exchange(name, message, Netlink.NLM_F_ACK);
    }

    /** Sends a dump request (NLM_F_REQUEST | NLM_F_DUMP) and returns every message up to NLMSG_DONE. */
    public synchronized List<NetlinkMessage> dump(String name, MessageBuilder message) throws IOException {
        return exchange(name, message, Netlink.NLM_F_DUMP);
    }

    /**
     * Sends, then collects this request's replies until its end: the ACK of a request (NLMSG_ERROR 0),
     * NLMSG_DONE of a dump, or an error reply, which is thrown.
     */
    private List<NetlinkMessage> exchange(String name, MessageBuilder message, int flags) throws IOException {
        message.flags(message.flags() | Netlink.NLM_F_REQUEST | flags);
        int seq = send(name, message);
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessage m : receive(name)) {
                if (m.sequence() != seq) {
                    continue;
                }
                if (m.type() == Netlink.NLMSG_DONE || m.type() == Netlink.NLMSG_ERROR) {
                    ErrorReply end = m.type() == Netlink.NLMSG_DONE ? ErrorReply.parseDone(m.payload(), m.flags())
                            : ErrorReply.parseError(m.payload(), m.flags());
                    if (end.error() != 0) {
                        throw exception(name, message, end);
                    }
                    return replies;
                }
                replies.add(m);
            }
        }
    }

    private static NetlinkException exception(String name, MessageBuilder message, ErrorReply error) {
        Integer offset = error.badAttributeOffset();
        return new NetlinkException(name, error, offset == null ? null : message.labelAt(offset));
    }

    private int send(String name, MessageBuilder message) throws SysCallException {
        int seq = ++sequence;
        MemorySegment bytes = message.finish(seq);
        long sent = Libc.send(fd, bytes, bytes.byteSize(), 0);
        SysCallException.check("send(" + name + ")", sent);
        if (sent != bytes.byteSize()) {
            throw new SysCallException("send(" + name + ")", Errno.EMSGSIZE, "sent " + sent + " of " + bytes.byteSize());
        }
        return seq;
    }

    /** One datagram, sized first with MSG_PEEK | MSG_TRUNC so no reply is ever cut. */
    private List<NetlinkMessage> receive(String name) throws IOException {
        long size = Libc.recv(fd, receiveBuffer, 0, MSG_PEEK | MSG_TRUNC);
        if (size == -Errno.EAGAIN) {
            throw new SysCallException("recv(" + name + ")", Errno.ETIMEDOUT,
                    "no reply from the kernel within " + RECEIVE_TIMEOUT_SECONDS + " s");
        }
        SysCallException.check("recv(" + name + ")", size);
        if (size > receiveBuffer.byteSize()) {
            receiveBuffer = arena.allocate(size, 8);
        }
        long n = SysCallException.check("recv(" + name + ")", Libc.recv(fd, receiveBuffer, receiveBuffer.byteSize(), 0));
        MemorySegment copy = Arena.ofAuto().allocate(n, 8);
        MemorySegment.copy(receiveBuffer, 0, copy, 0, n);
        return NetlinkMessage.parseAll(copy);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
