package dev.neper.fleet.runner.memory;

import dev.neper.fleet.runner.cuda.CudaDriver;
import dev.neper.fleet.runner.cuda.CudaException;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MissingSupportException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * GPU memory through the CUDA driver, exported as a dma-buf, as the neper seed allocates it: cuInit,
 * the GPU by PCI address (else device 0, which CUDA_VISIBLE_DEVICES selects), its primary context,
 * DMA_BUF_SUPPORTED checked, the size rounded up to 2 MiB and the pointer 2 MiB-aligned
 * (over-allocating when the driver returns less), SYNC_MEMOPS set, the buffer zeroed, then
 * cuMemGetHandleForAddressRange.
 * The CPU reaches it only through CUDA copies.
 */
public final class CudaMemory implements PayloadMemory {
    public static final long ALIGNMENT = 2 * Sizes.MIB;

    private final CudaDriver driver;
    private final int device;
    private final String pciBusId;
    private final MemorySegment context;
    private final long allocation;
    private final long pointer;
    private final long size;
    private final int dmabuf;
    private final ThreadLocal<Boolean> contextCurrent = ThreadLocal.withInitial(() -> false);

    private CudaMemory(CudaDriver driver, int device, String pciBusId, MemorySegment context, long allocation,
                       long pointer, long size, int dmabuf) {
        this.driver = driver;
        this.device = device;
        this.pciBusId = pciBusId;
        this.context = context;
        this.allocation = allocation;
        this.pointer = pointer;
        this.size = size;
        this.dmabuf = dmabuf;
    }

    /**
     * Allocates and exports GPU memory. A stub library, no GPU, a GPU without dma-buf support and a
     * PCI address no GPU has are {@link MissingSupportException}s saying which.
     */
    public static CudaMemory allocate(CudaDriver driver, String gpuPci, long requested) throws IOException {
        try {
            driver.init();
        } catch (CudaException e) {
            throw switch (e.result()) {
                case CudaDriver.CUDA_ERROR_STUB_LIBRARY -> new MissingSupportException("cuda: " + driver.library()
                        + " is the CUDA stub library (CUDA_ERROR_STUB_LIBRARY 34): no NVIDIA driver is installed", e);
                case CudaDriver.CUDA_ERROR_NO_DEVICE -> new MissingSupportException(
                        "cuda: no CUDA-capable GPU (CUDA_ERROR_NO_DEVICE 100; check CUDA_VISIBLE_DEVICES)", e);
                default -> e;
            };
        }
        int device = findDevice(driver, gpuPci);
        String busId = driver.pciBusId(device);
        if (driver.attribute(device, CudaDriver.CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED) == 0) {
            throw new MissingSupportException("cuda: GPU " + busId + " cannot export dma-bufs"
                    + " (CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED is 0; it needs NVIDIA's open kernel modules)");
        }
        MemorySegment context = driver.retainPrimaryContext(device);
        long allocation = 0;
        try {
            driver.setCurrentContext(context);
            long size = Sizes.roundUp(requested, ALIGNMENT);
            allocation = driver.memAlloc(size);
            long pointer = allocation;
            if (pointer % ALIGNMENT != 0) {
                driver.memFree(allocation);
                allocation = 0;
                allocation = driver.memAlloc(size + ALIGNMENT);
                // cuMemAlloc's pointers are at least 256 B aligned: rounding up stays inside the extra 2 MiB
                pointer = Sizes.roundUp(allocation, ALIGNMENT);
            }
            driver.setSyncMemops(pointer);
            // the GPU's memory holds whatever its last user left: never send that
            driver.memset(pointer, (byte) 0, size);
            driver.synchronize();
            int fd = driver.exportDmabuf(pointer, size);
            return new CudaMemory(driver, device, busId, context, allocation, pointer, size, fd);
        } catch (IOException | RuntimeException e) {
            long allocated = allocation;
            if (allocated != 0) {
                quietly(() -> driver.memFree(allocated));
            }
            quietly(() -> driver.releasePrimaryContext(device));
            throw e;
        }
    }

    /** The GPU with this PCI address (any case, domain optional), or device 0 when none is given. */
    static int findDevice(CudaDriver driver, String gpuPci) throws IOException {
        int count = driver.deviceCount();
        if (count == 0) {
            throw new MissingSupportException("cuda: no CUDA-capable GPU (cuDeviceGetCount is 0)");
        }
        if (gpuPci == null || gpuPci.isBlank()) {
            return driver.device(0);
        }
        String wanted = normalizePci(gpuPci);
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int device = driver.device(i);
            String busId = driver.pciBusId(device);
            if (normalizePci(busId).equals(wanted)) {
                return device;
            }
            seen.append(seen.isEmpty() ? "" : ", ").append(busId);
        }
        throw new MissingSupportException("cuda: no GPU at " + gpuPci + " (the visible GPUs are at " + seen + ")");
    }

    /** "4:00.0" and "0000:04:00.0" alike become "0000:04:00.0". */
    static String normalizePci(String address) {
        String a = address.trim().toLowerCase(Locale.ROOT);
        String[] parts = a.split(":");
        if (parts.length == 2) {
            a = "0000:" + a;
            parts = a.split(":");
        }
        if (parts.length != 3) {
            return a;
        }
        String[] deviceFunction = parts[2].split("\\.");
        try {
            return String.format("%04x:%02x:%02x.%s", Integer.parseInt(parts[0], 16), Integer.parseInt(parts[1], 16),
                    Integer.parseInt(deviceFunction[0], 16), deviceFunction.length > 1 ? deviceFunction[1] : "0");
        } catch (NumberFormatException e) {
            return a;
        }
    }

    private interface CudaCall {
        void run() throws IOException;
    }

    private static void quietly(CudaCall call) {
        try {
            call.run();
        } catch (IOException | RuntimeException ignored) {
            // cleanup after a failure: the first error is the one to report
        }
    }

    /** The 2 MiB-aligned device pointer of the buffer. */
    public long pointer() {
        return pointer;
    }

    private void makeContextCurrent() throws CudaException {
        if (!contextCurrent.get()) {
            driver.setCurrentContext(context);
            contextCurrent.set(true);
        }
    }

    @Override
    public String description() {
        return "cuda " + pciBusId + " of " + Sizes.format(size);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int dmabufFd() {
        return dmabuf;
    }

    @Override
    public void copyToHost(long offset, MemorySegment destination, long destinationOffset, long length)
            throws IOException {
        makeContextCurrent();
        driver.copyDeviceToHost(destination.asSlice(destinationOffset, length), pointer + offset, length);
    }

    @Override
    public void copyFromHost(MemorySegment source, long sourceOffset, long offset, long length) throws IOException {
        makeContextCurrent();
        driver.copyHostToDevice(pointer + offset, source.asSlice(sourceOffset, length), length);
    }

    @Override
    public void close() {
        Libc.close(dmabuf);
        quietly(() -> {
            makeContextCurrent();
            driver.memFree(allocation);
        });
        quietly(() -> driver.releasePrimaryContext(device));
    }
}
