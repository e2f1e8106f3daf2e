package dev.neper.fleet.runner.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing program fails naming itself and its Debian package, before anything is run. */
class ProgramsTest {
    @Test
    void aMissingProgramIsNamedWithItsPackage(@TempDir Path emptyDirectory) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Programs.require("ip", emptyDirectory.toString()));
        assertEquals("needs ip (Debian package iproute2)", e.getMessage());
    }

    @Test
    void aProgramWithoutAKnownPackageIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Programs.require("ethtool"));
        assertTrue(e.getMessage().startsWith("tests run ethtool, whose Debian package Programs does not name"),
                e.getMessage());
    }

    @Test
    void theProgramInsideANamespaceIsCheckedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Programs.processBuilder(List.of("ip", "netns", "exec", "nf-none", "ping", "198.18.0.1")));
        assertTrue(e.getMessage().startsWith("tests run ping,"), e.getMessage());
        assertEquals(List.of("ip", "-V"), Programs.processBuilder(List.of("ip", "-V")).command());
    }
}
