package dev.neper.fleet.runner.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a flow's payload lives: host memory (plain TCP), a udmabuf, or GPU memory through CUDA (the seed's --mode). */
public enum MemoryMode {
    HOST, UDMABUF, CUDA;

    /** The spelling on the command line: host, udmabuf, cuda. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isDevmem() {
        return this != HOST;
    }

    public static Optional<MemoryMode> byArgument(String text) {
        return Arrays.stream(values()).filter(m -> m.argument().equals(text)).findFirst();
    }
}
