package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** sockaddr_in (16 B) and sockaddr_in6 (28 B) in their x86-64 layouts; ports and addresses in network order. */
public final class SockAddr {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    /** sizeof(struct sockaddr_storage): large enough for any address accept() or getsockname() returns. */
    public static final int STORAGE_SIZE = 128;
    static final int IN_SIZE = 16;
    static final int IN6_SIZE = 28;

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {
    }

    public static int family(InetAddress address) {
        return address instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    /** Encodes the address into a segment allocated in the arena; its byteSize() is the socklen to pass. */
    public static MemorySegment encode(Arena arena, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment sa = arena.allocate(IN_SIZE, 4);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            sa.set(PORT, 2, (short) address.getPort());
            MemorySegment.copy(raw, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
            return sa;
        }
        MemorySegment sa = arena.allocate(IN6_SIZE, 4);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        sa.set(PORT, 2, (short) address.getPort());
        MemorySegment.copy(raw, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
        sa.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return sa;
    }

    public static InetSocketAddress decode(MemorySegment sa) {
        int family = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT, 0));
        int port = Short.toUnsignedInt(sa.get(PORT, 2));
        try {
            return switch (family) {
                case AF_INET -> new InetSocketAddress(
                        InetAddress.getByAddress(sa.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)), port);
                case AF_INET6 -> new InetSocketAddress(Inet6Address.getByAddress(null,
                        sa.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE), sa.get(ValueLayout.JAVA_INT, 24)), port);
                default -> throw new IllegalArgumentException("unsupported address family " + family);
            };
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("malformed socket address", e);
        }
    }
}
