package dev.neper.fleet.runner.doctor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release's major.minor, e.g. 6.18 from "6.18.44-fc-v782". */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    public static final KernelVersion DEVMEM_RX = new KernelVersion(6, 12);
    public static final KernelVersion DEVMEM_TX = new KernelVersion(6, 16);
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    public static KernelVersion parse(String release) {
        Matcher m = RELEASE.matcher(release.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("not a kernel release: '" + release + "'");
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
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
