package dev.neper.fleet.runner.zerocopy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * struct sock_extended_err (16 B): ee_errno u32 at 0, ee_origin u8 at 4, ee_type u8 at 5, ee_code u8
 * at 6, pad at 7, ee_info u32 at 8, ee_data u32 at 12. For zerocopy completions (origin 5) info and
 * data are the first and last sequence numbers of an inclusive range; code 1 means the kernel copied.
 */
public record SockExtendedErr(int errno, int origin, int type, int code, long first, long last) {
    public static final int SIZE = 16;
    public static final int SO_EE_ORIGIN_ZEROCOPY = 5;
    public static final int SO_EE_CODE_ZEROCOPY_COPIED = 1;

    public static SockExtendedErr read(MemorySegment s, long at) {
        return new SockExtendedErr(s.get(ValueLayout.JAVA_INT, at),
                Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + 4)),
                Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + 5)),
                Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + 6)),
                Integer.toUnsignedLong(s.get(ValueLayout.JAVA_INT, at + 8)),
                Integer.toUnsignedLong(s.get(ValueLayout.JAVA_INT, at + 12)));
    }
}
