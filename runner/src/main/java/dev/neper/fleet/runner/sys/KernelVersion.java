package dev.neper.fleet.runner.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release's major.minor, e.g. 6.18 from "6.18.44-fc-v782". */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    public static final KernelVersion DEVMEM_RX = new KernelVersion(6, 12);
    public static final KernelVersion DEVMEM_TX = new KernelVersion(6, 16);
    /**
     * From 6.15 (commit 1d22d3060b9b) bind-rx asks the driver before it resolves the dma-buf fd; before,
     * the fd came first, so a bind with an invalid fd answers EBADF whatever the driver.
     */
    public static final KernelVersion BIND_RX_CHECKS_DRIVER_FIRST = new KernelVersion(6, 15);
    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    public static KernelVersion parse(String release) {
        Matcher m = RELEASE.matcher(release.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release: '" + release + "'");
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The running kernel's release string, e.g. "6.18.44-fc-v782". */
    public static String runningRelease() throws IOException {
        // Files.readString stops short on procfs files, whose reported size is 0
        return Files.readAllLines(OSRELEASE).getFirst().trim();
    }

    /** The running kernel's version. */
    public static KernelVersion running() throws IOException {
        try {
            return parse(runningRelease());
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new IOException("cannot read the kernel version from " + OSRELEASE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    public boolean atLeast(KernelVersion o) {
        return compareTo(o) >= 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
