package dev.neper.fleet.runner.engine;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server takes the flows each control session announced, from that session's peer, and counts the rest. */
@Tag("unit")
class FlowAdmissionTest {
    @Test
    void theAnnouncedFlowsFromTheSessionsPeerAreTakenAndEverythingElseIsRefusedAndCounted() throws Exception {
        InetAddress client = InetAddress.ofLiteral("198.18.0.2");
        InetAddress other = InetAddress.ofLiteral("198.18.0.3");
        FlowAdmission admission = new FlowAdmission();
        assertFalse(admission.admit(client, "before any hello"), "nothing is announced before a hello");
        admission.announce(client, 2);
        assertFalse(admission.admit(other, "from another address"));
        assertTrue(admission.admit(client, "flow 1"));
        assertTrue(admission.admit(client, "flow 2"));
        assertFalse(admission.admit(client, "a third from the client's address"));
        admission.announce(client, 1); // a second client session from the same host (--num-clients 2)
        assertTrue(admission.admit(client, "its flow"));
        assertEquals(3, admission.refused());
    }
}
