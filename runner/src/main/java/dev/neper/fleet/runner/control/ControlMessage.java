package dev.neper.fleet.runner.control;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * neper's 72-byte control message (struct hs_msg): a 32-byte secret, then big-endian magic, type,
 * num_threads, num_flows, test_length, client_number (u32 each) and max_pacing_rate, remote_rate
 * (u64 each). {@code type} is kept raw so that a peer's unknown type can be reported, not lost.
 */
public record ControlMessage(byte[] secret, int magic, int type, int numThreads, int numFlows, int testLength,
                             int clientNumber, long maxPacingRate, long remoteRate) {
    public static final int SIZE = 72;
    public static final int SECRET_SIZE = 32;
    /** tcp_stream's secret; other neper tests use their own, so a mismatch also catches the wrong tool. */
    public static final String TCP_STREAM_SECRET = "neper tcp_stream 201703241300";
    private static final byte[] NO_SECRET = new byte[SECRET_SIZE];

    public ControlMessage {
        if (secret.length != SECRET_SIZE) {
            throw new IllegalArgumentException("secret must be " + SECRET_SIZE + " bytes");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    public static byte[] secretBytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(bytes, SECRET_SIZE);
    }

    public static ControlMessage hello(int magic, int numThreads, int numFlows, int testLength, long maxPacingRate) {
        return new ControlMessage(secretBytes(TCP_STREAM_SECRET), magic, MessageType.CLI_HELLO.code(), numThreads,
                numFlows, testLength, 0, maxPacingRate, 0);
    }

    public static ControlMessage ack(int magic, int numThreads, int numFlows, int testLength) {
        return new ControlMessage(NO_SECRET, magic, MessageType.SER_ACK.code(), numThreads, numFlows, testLength, 0, 0, 0);
    }

    public static ControlMessage done(int magic, long remoteRate) {
        return new ControlMessage(NO_SECRET, magic, MessageType.CLI_DONE.code(), 0, 0, 0, 0, 0, remoteRate);
    }

    public static ControlMessage bye(int magic, long remoteRate) {
        return new ControlMessage(NO_SECRET, magic, MessageType.SER_BYE.code(), 0, 0, 0, 0, 0, remoteRate);
    }

    public boolean hasSecret(String expected) {
        return Arrays.equals(secret, secretBytes(expected));
    }

    public boolean is(MessageType expected) {
        return type == expected.code();
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        b.put(secret).putInt(magic).putInt(type).putInt(numThreads).putInt(numFlows).putInt(testLength)
                .putInt(clientNumber).putLong(maxPacingRate).putLong(remoteRate);
        return b.array();
    }

    public static ControlMessage decode(byte[] wire) {
        if (wire.length != SIZE) {
            throw new IllegalArgumentException("a control message is " + SIZE + " bytes, got " + wire.length);
        }
        ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.BIG_ENDIAN);
        byte[] secret = new byte[SECRET_SIZE];
        b.get(secret);
        return new ControlMessage(secret, b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                b.getLong(), b.getLong());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlMessage m && Arrays.equals(secret, m.secret) && magic == m.magic && type == m.type
                && numThreads == m.numThreads && numFlows == m.numFlows && testLength == m.testLength
                && clientNumber == m.clientNumber && maxPacingRate == m.maxPacingRate && remoteRate == m.remoteRate;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "ControlMessage[type=" + type + ", magic=" + magic + ", T=" + numThreads + ", F=" + numFlows + ", l="
                + testLength + ", m=" + Long.toUnsignedString(maxPacingRate) + ", rate=" + Long.toUnsignedString(remoteRate) + "]";
    }
}
