package dev.neper.fleet.runner.control;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 72-byte struct hs_msg, checked byte by byte against the layout in neper-tcp-stream.md. */
@Tag("unit")
class ControlMessageTest {
    private static final String SECRET_HEX =
            "6e65706572207463705f73747265616d20323031373033323431333030000000"; // "neper tcp_stream 201703241300" + 3 NULs

    private static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts));
    }

    @Test
    void helloHasTheSecretAndBigEndianFields() {
        byte[] expected = hex(SECRET_HEX,
                "0000002a",          // magic 42
                "00000001",          // CLI_HELLO
                "00000002",          // num_threads 2
                "00000008",          // num_flows 8
                "0000000a",          // test_length 10
                "00000000",          // client_number
                "0000000005f5e100",  // max_pacing_rate 100,000,000
                "0000000000000000"); // remote_rate
        assertEquals(72, expected.length);
        assertArrayEquals(expected, ControlMessage.hello(42, 2, 8, 10, 100_000_000L).encode());
    }

    @Test
    void ackDoneAndByeCarryNoSecret() {
        assertArrayEquals(hex("00".repeat(32), "0000002a", "00000002", "00000004", "00000010", "0000001e", "00000000",
                "0000000000000000", "0000000000000000"), ControlMessage.ack(42, 4, 16, 30).encode());
        assertArrayEquals(hex("00".repeat(32), "0000002a", "00000003", "00000000", "00000000", "00000000", "00000000",
                "0000000000000000", "00000004a817c800"), ControlMessage.done(42, 20_000_000_000L).encode());
        assertArrayEquals(hex("00".repeat(32), "ffffffff", "00000004", "00000000", "00000000", "00000000", "00000000",
                "0000000000000000", "ffffffffffffffff"), ControlMessage.bye(-1, -1L).encode());
    }

    @Test
    void decodeIsTheInverseAndKeepsUnknownTypes() {
        ControlMessage hello = ControlMessage.hello(42, 2, 8, 10, 5);
        assertEquals(hello, ControlMessage.decode(hello.encode()));
        byte[] odd = ControlMessage.bye(42, 0).encode();
        odd[39] = 9;
        ControlMessage decoded = ControlMessage.decode(odd);
        assertEquals(9, decoded.type());
        assertFalse(decoded.is(MessageType.SER_BYE));
        assertTrue(hello.hasSecret(ControlMessage.TCP_STREAM_SECRET));
        assertFalse(decoded.hasSecret(ControlMessage.TCP_STREAM_SECRET));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.decode(new byte[71]));
    }
}
