package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.neper.fleet.runner.contract.MemoryMode;

/** Where payloads live; the same names as the runner's and the seed's --mode. */
public enum Mode {
    HOST(MemoryMode.HOST), UDMABUF(MemoryMode.UDMABUF), CUDA(MemoryMode.CUDA);

    private final MemoryMode memoryMode;

    Mode(MemoryMode memoryMode) {
        this.memoryMode = memoryMode;
    }

    public MemoryMode memoryMode() {
        return memoryMode;
    }

    @JsonValue
    public String argument() {
        return memoryMode.argument();
    }

    public boolean isDevmem() {
        return memoryMode.isDevmem();
    }
}
