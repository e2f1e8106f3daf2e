package dev.neper.fleet.runner.multi;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a links command line may not say, refused with one line before anything runs. */
@Tag("unit")
class LinkSetMainTest {
    private static String refusal(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LinkSetMain.run("neper-runner", "test", List.of(args), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertEquals(1, text.lines().count(), text);
        return text.trim();
    }

    @Test
    void optionsEachLinkSetsForItselfAreRefused() {
        assertEquals("neper-runner links: --host does not apply to links: each --link gives its device and its local"
                + " and peer addresses", refusal("--link=eth1,198.18.1.1,198.18.1.2", "-H", "198.18.1.2"));
        assertTrue(refusal("--link=eth1,198.18.1.1,198.18.1.2", "-c", "-L", "198.18.1.1").contains("--local-hosts does not apply"));
        assertTrue(refusal("--link=eth1,198.18.1.1,198.18.1.2", "--bind-device", "eth2").contains("--bind-device does not apply"));
    }

    @Test
    void nicAndGpuNeedADevmemMode() {
        assertEquals("neper-runner links: link eth1: nic= and gpu= name a devmem link's NIC and GPU; --mode host uses"
                + " neither (use --mode udmabuf or cuda, or leave them out)",
                refusal("--link=eth1,198.18.1.1,198.18.1.2,nic=0000:06:00.0"));
        assertTrue(refusal("--link=eth1,198.18.1.1,198.18.1.2,gpu=0000:04:00.0").contains("nic= and gpu="));
    }

    @Test
    void aDeviceNameLongerThanTheKernelTakesIsRefused() {
        String forty = "e".repeat(40);
        assertEquals("neper-runner links: '" + forty + "' is not an interface name: at most 15 characters"
                + " (IFNAMSIZ - 1), without '/', ':' or spaces", refusal("--link=" + forty + ",198.18.1.1,198.18.1.2"));
        assertTrue(refusal("--link=eth1,198.18.1.999,198.18.1.2").contains("198.18.1.999 is not an IPv4 or IPv6 address"));
    }
}
