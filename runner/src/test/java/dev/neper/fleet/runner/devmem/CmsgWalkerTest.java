package dev.neper.fleet.runner.devmem;

import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.sys.MsgHdr;
import dev.neper.fleet.runner.validate.Mismatch;
import dev.neper.fleet.runner.validate.ValidationPattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cmsg walk, gather, validation and token return, driven by control buffers laid out as the kernel writes them. */
@Tag("unit")
class CmsgWalkerTest {
    private static final int EPROTO = -DevmemReceiver.EPROTO;

    @Test
    void inOrderPagesValidateAndTheirTokensGoBackCoalesced() {
        SyntheticReceive r = new SyntheticReceive(409600);
        for (int i = 0; i < 100; i++) {
            r.dmabuf(i * 4096L, 4096, i * 4096L, 1 + i);
        }
        assertEquals(409600, r.process());
        assertNull(r.receiver.failure());
        assertEquals(409600, r.counters.devmemBytes());
        assertEquals(0, r.counters.linearBytes());
        assertEquals(100, r.counters.fragments());
        assertEquals(100, r.counters.fragmentsReturned());
        assertEquals(1, r.releasedRanges.size(), "consecutive tokens share one range");
        assertArrayEquals(new int[] {1, 100}, r.releasedRanges.getFirst());
        assertEquals(409600, r.validator.validatedBytes());
        assertEquals(0, r.validator.mismatches());
    }

    @Test
    void linearAndDmabufMixedInStreamOrder() {
        SyntheticReceive r = new SyntheticReceive(65536);
        r.linear(1000, 0).dmabuf(8192, 4096, 1000, 9).linear(200, 5096).dmabuf(4096, 4096, 5296, 4);
        assertEquals(9392, r.process());
        assertNull(r.receiver.failure());
        assertEquals(1200, r.counters.linearBytes());
        assertEquals(8192, r.counters.devmemBytes());
        assertEquals(2, r.counters.fragments());
        assertEquals(0, r.validator.mismatches());
        assertEquals(9392, r.validator.validatedBytes());
        assertEquals(2, r.releasedRanges.size());
        MemorySegment gathered = r.receiver.gathered();
        for (long p = 0; p < 9392; p++) {
            assertEquals(ValidationPattern.byteAt(p), gathered.get(ValueLayout.JAVA_BYTE, p), "stream byte " + p);
        }
    }

    /** Fragments shorter than a page (MSS-sized, or split at a recvmsg boundary) carry on the stream offset. */
    @Test
    void shortFragmentsKeepTheStreamOffset() {
        SyntheticReceive r = new SyntheticReceive(65536);
        long stream = 0;
        int token = 1;
        for (int size : new int[] {1448, 2648, 4096, 100, 3996, 4096, 1}) {
            r.dmabuf(token * 4096L, size, stream, token++);
            stream += size;
        }
        assertEquals(stream, r.process());
        assertEquals(0, r.validator.mismatches());
        // the next receive continues where this one ended
        r.dmabuf(0, 777, stream, 50);
        assertEquals(777, r.process());
        assertEquals(0, r.validator.mismatches());
        assertEquals(stream + 777, r.validator.validatedBytes());
    }

    /**
     * A page placed at the wrong stream offset: the pattern has period 111, coprime with 4096, so any
     * misplacement changes the bytes and is caught (the seed's token-as-position bug would miss it).
     */
    @Test
    void misplacedPageIsCaught() {
        SyntheticReceive r = new SyntheticReceive(65536);
        ValidationPattern.fill(r.dmabuf.segment().asSlice(0, 4096), 0);
        ValidationPattern.fill(r.dmabuf.segment().asSlice(4096, 4096), 4096);
        ValidationPattern.fill(r.dmabuf.segment().asSlice(8192, 4096), 8192);
        // the NIC delivered stream pages 0, 2, 1 into dmabuf pages 0, 1, 2 but the cmsgs claim order 0, 1, 2
        r.dmabufAs(0, 4096, 1, SyntheticReceive.BINDING).dmabufAs(8192, 4096, 2, SyntheticReceive.BINDING)
                .dmabufAs(4096, 4096, 3, SyntheticReceive.BINDING);
        assertEquals(3 * 4096, r.process(), "a data error is not a protocol error: the flow goes on");
        assertTrue(r.validator.mismatches() > 8000, "most bytes of two pages differ: " + r.validator.mismatches());
        Mismatch first = r.validator.firstMismatch();
        assertEquals(4096, first.offset());
        assertEquals(Byte.toUnsignedInt(ValidationPattern.byteAt(4096)), first.expected());
        assertEquals(Byte.toUnsignedInt(ValidationPattern.byteAt(8192)), first.got());
        assertEquals("0/0", first.flow());
    }

    @Test
    void wrongDmabufIdIsASteeringError() {
        SyntheticReceive r = new SyntheticReceive(65536);
        r.dmabuf(0, 4096, 0, 1).dmabufAs(4096, 4096, 2, 7);
        assertEquals(EPROTO, r.process());
        assertEquals("fragment of dmabuf binding 7 where this run bound 3: a flow was steered to a queue of another"
                + " binding", r.receiver.failure());
        assertTrue(r.releasedRanges.isEmpty(), "nothing counted as handed back");
    }

    @Test
    void truncatedControlIsAnError() {
        SyntheticReceive r = new SyntheticReceive(65536);
        r.dmabuf(0, 4096, 0, 1).flags(Sockets.MSG_CTRUNC);
        assertEquals(EPROTO, r.process());
        assertTrue(r.receiver.failure().startsWith("control messages truncated (MSG_CTRUNC)"), r.receiver.failure());
    }

    @Test
    void sizesMustAddUpToTheReturnValue() {
        SyntheticReceive r = new SyntheticReceive(65536);
        r.dmabuf(0, 4096, 0, 1).returned(5000);
        assertEquals(EPROTO, r.process());
        assertEquals("fragments add up to 4096 bytes but recvmsg returned 5000", r.receiver.failure());
    }

    @Test
    void fragmentOutsideTheDmabufIsRefused() {
        SyntheticReceive r = new SyntheticReceive(65536);
        r.dmabufAs((1 << 20) - 100, 4096, 1, SyntheticReceive.BINDING);
        assertEquals(EPROTO, r.process());
        assertTrue(r.receiver.failure().contains("outside the 1048576-byte dmabuf"), r.receiver.failure());
    }

    @Test
    void noCmsgMeansOrdinaryDataInTheIovec() {
        SyntheticReceive r = new SyntheticReceive(65536);
        ValidationPattern.fill(r.receiver.iovBuffer().asSlice(0, 3000), 0);
        r.returned(3000);
        assertEquals(3000, r.process());
        assertEquals(3000, r.counters.linearBytes());
        assertEquals(0, r.validator.mismatches());
    }

    @Test
    void malformedAndForeignCmsgsAreRefused() {
        CmsgWalker walker = new CmsgWalker();
        Fragments out = new Fragments(8);
        MemorySegment control = Arena.ofAuto().allocate(80, 8);
        DevmemAbi.dmabufCmsg(control, 0, DevmemAbi.SCM_DEVMEM_DMABUF, 0, 10, 1, 1);
        control.set(ValueLayout.JAVA_LONG, 0, 200);
        assertFalse(walker.walk(control, 40, 0, 10, 1, 100, 1000, out));
        assertTrue(walker.error().startsWith("malformed cmsg at control offset 0: cmsg_len 200"), walker.error());
        MsgHdr.cmsgHeader(control, 0, 24, 0, 11);
        assertFalse(walker.walk(control, 40, 0, 10, 1, 100, 1000, out));
        assertEquals("unexpected cmsg level 0 type 11 at control offset 0", walker.error());
        MsgHdr.cmsgHeader(control, 0, 4, DevmemAbi.SOL_SOCKET, DevmemAbi.SCM_DEVMEM_DMABUF);
        assertFalse(walker.walk(control, 40, 0, 10, 1, 100, 1000, out));
        assertTrue(walker.error().contains("has cmsg_len 20, needs 40"), walker.error());
    }

    /** Random control bytes and lengths: the walker accepts or refuses, never reads out of bounds. */
    @Test
    void fuzzedControlBuffersNeverEscape() {
        Random random = new Random(11);
        CmsgWalker walker = new CmsgWalker();
        Fragments out = new Fragments(16);
        MemorySegment control = Arena.ofAuto().allocate(400, 8);
        byte[] bytes = new byte[400];
        for (int round = 0; round < 50_000; round++) {
            if (round % 2 == 0) {
                random.nextBytes(bytes);
                MemorySegment.copy(bytes, 0, control, ValueLayout.JAVA_BYTE, 0, bytes.length);
            } else {
                long at = 0;
                for (int i = 0; i < 1 + random.nextInt(9); i++) {
                    at = DevmemAbi.dmabufCmsg(control, at, random.nextBoolean() ? 78 : 79, random.nextInt(5000),
                            random.nextInt(5000), random.nextInt(), random.nextInt(3));
                }
                control.set(ValueLayout.JAVA_BYTE, random.nextInt(400), (byte) random.nextInt(256));
            }
            long length = random.nextInt(420);
            boolean ok = walker.walk(control, length, random.nextInt(16), random.nextInt(20000), 1, 8192, 1 << 20, out);
            if (ok) {
                long total = 0;
                for (int i = 0; i < out.count(); i++) {
                    total += out.size(i);
                    if (out.kind(i) == Fragments.DMABUF) {
                        assertTrue(out.offset(i) + out.size(i) <= 1 << 20);
                    }
                }
                assertTrue(total <= 20000);
            } else {
                assertTrue(walker.error() != null && !walker.error().isEmpty());
            }
        }
    }

    @Test
    void tooManyFragmentsForTheCapacityIsAnError() {
        CmsgWalker walker = new CmsgWalker();
        Fragments out = new Fragments(2);
        MemorySegment control = Arena.ofAuto().allocate(120, 8);
        long at = 0;
        for (int i = 0; i < 3; i++) {
            at = DevmemAbi.dmabufCmsg(control, at, DevmemAbi.SCM_DEVMEM_DMABUF, i * 4096L, 10, i + 1, 1);
        }
        assertFalse(walker.walk(control, at, 0, 30, 1, 100, 1 << 20, out));
        assertEquals(List.of("more than 2 fragments in one receive"), List.of(walker.error()));
    }
}
