package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.Sockets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive control buffer is sized from the link's smallest fragment (its MSS), so a receive at MTU
 * 1500 (MSS 1448) is not cut short by a buffer sized for 4 KiB pages; receives it does cut short are counted.
 */
class ControlBufferTest {
    private static final int CMSG = 40;

    @Test
    void sizedForAnMssOf1448() {
        assertEquals(1448, DevmemAbi.smallestFragment(1448));
        assertEquals(4096, DevmemAbi.smallestFragment(8948), "a fragment never crosses a page");
        assertEquals(536, DevmemAbi.smallestFragment(0), "an unreadable MSS counts as TCP's smallest");
        long size = DevmemAbi.receiveControlSize(409600, DevmemAbi.smallestFragment(1448));
        assertEquals((409600 / 1448 + 2) * CMSG, size);
        int wholeAndPartialFragments = (409600 + 1447) / 1448 + 1;
        assertTrue(size >= (long) wholeAndPartialFragments * CMSG,
                size + " bytes hold fewer than the " + wholeAndPartialFragments + " cmsgs of a full receive");
    }

    /** neper's cuda buffer (409600 B) filled by 1448-byte fragments, one split at the start: every cmsg fits. */
    @Test
    void aFullReceiveOfMssFragmentsFits() {
        SyntheticReceive r = new SyntheticReceive(409600, 1448);
        long stream = 0;
        int first = 700;
        r.dmabuf(0, first, stream, 1);
        stream += first;
        int token = 2;
        while (stream < 409600) {
            int size = (int) Math.min(1448, 409600 - stream);
            r.dmabuf(token * 2048L, size, stream, token++);
            stream += size;
        }
        assertEquals(409600, r.process());
        assertNull(r.receiver.failure());
        assertEquals(token - 1, r.counters.fragments());
        assertEquals(0, r.counters.controlTruncations());
        assertEquals(0, r.validator.mismatches());
    }

    @Test
    void aReceiveStoppedByAFullControlBufferIsCounted() {
        SyntheticReceive r = new SyntheticReceive(16384, 4096);
        int capacity = (int) (r.receiver.control().byteSize() / CMSG);
        for (int i = 0; i < capacity; i++) {
            r.dmabuf(i * 4096L, 1448, i * 1448L, 1 + i);
        }
        assertEquals(capacity * 1448L, r.process(), "short, but nothing lost");
        assertEquals(1, r.counters.controlTruncations());

        r.dmabuf(0, 1448, capacity * 1448L, 1).dmabuf(4096, 1448, (capacity + 1) * 1448L, 2);
        assertEquals(2896, r.process(), "short with room left: the data was all there was");
        for (int i = 0; i < 4; i++) {
            r.dmabuf(i * 4096L, 4096, (capacity + 2) * 1448L + i * 4096L, 3 + i);
        }
        assertEquals(16384, r.process(), "a full iovec is not cut short");
        assertEquals(1, r.counters.controlTruncations());
        assertNull(r.receiver.failure());
    }

    @Test
    void msgCtruncIsCountedAndEndsTheFlow() {
        SyntheticReceive r = new SyntheticReceive(16384, 1448);
        r.dmabuf(0, 1448, 0, 1).flags(Sockets.MSG_CTRUNC);
        assertEquals(-DevmemReceiver.EPROTO, r.process());
        assertEquals(1, r.counters.controlTruncations());
        assertTrue(r.receiver.failure().contains("MSG_CTRUNC"), r.receiver.failure());
    }
}
