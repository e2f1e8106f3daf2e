package dev.neper.fleet.runner.cuda;

import dev.neper.fleet.runner.memory.CudaMemory;
import dev.neper.fleet.runner.memory.Sizes;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MissingSupportException;
import dev.neper.fleet.runner.validate.StreamValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The libcuda binding and the CUDA memory provider against a test-double libcuda built here with gcc. */
class CudaDriverTest {
    @TempDir
    Path temp;

    @Test
    void searchOrderStartsWithCudaLibDir() {
        assertEquals(List.of(Path.of("/opt/x/libcuda.so.1"), Path.of("/var/lib/nvidia/lib64/libcuda.so.1"),
                Path.of("/usr/local/nvidia/lib64/libcuda.so.1")), CudaLibrary.candidates(Map.of("CUDA_LIB_DIR", "/opt/x")));
        assertEquals(List.of(Path.of("/var/lib/nvidia/lib64/libcuda.so.1"), Path.of("/usr/local/nvidia/lib64/libcuda.so.1")),
                CudaLibrary.candidates(Map.of()));
    }

    @Test
    void allocatesAlignedExportedGpuMemoryAndCopiesFromAnyThread() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("ok"));
        Map<String, String> env = Map.of(CudaLibrary.VARIABLE, lib.directory.toString());
        assertEquals(lib.library, CudaLibrary.locate(env));
        CudaDriver driver = CudaDriver.load(env);
        assertEquals(lib.library.toString(), driver.library());
        CudaMemory memory = CudaMemory.allocate(driver, "5:00.0", 3 * Sizes.MIB);
        try {
            assertEquals(4 * Sizes.MIB, memory.size(), "rounded up to 2 MiB");
            assertEquals(0, memory.pointer() % CudaMemory.ALIGNMENT);
            assertEquals("cuda 0000:05:00.0 of 4 MiB", memory.description());
            assertEquals(memory.pointer(), lib.longCounter("double_sync_memops_ptr"), "SYNC_MEMOPS set on the buffer");
            assertEquals(memory.pointer(), lib.longCounter("double_export_ptr"));
            assertEquals(4 * Sizes.MIB, lib.longCounter("double_export_size"));
            assertEquals(CudaDriver.CU_MEM_RANGE_HANDLE_TYPE_DMA_BUF_FD, lib.intCounter("double_export_type"));
            assertEquals(0, lib.longCounter("double_export_flags"));
            assertTrue(memory.dmabufFd() >= 0);
            assertEquals(memory.pointer(), memory.sendBase(0) + memory.pointer(), "devmem TX takes dmabuf offsets");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = Thread.ofPlatform().start(() -> {
                try {
                    memory.fillPattern(8192, 100_000, 500);
                    MemorySegment host = Arena.ofAuto().allocate(100_000);
                    memory.copyToHost(8192, host, 0, 100_000);
                    StreamValidator v = new StreamValidator("0/0");
                    MemorySegment head = Arena.ofAuto().allocate(500);
                    dev.neper.fleet.runner.validate.ValidationPattern.fill(head, 0);
                    v.check(head, 0, 500);
                    v.check(host, 0, 100_000);
                    assertEquals(0, v.mismatches());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            worker.join();
            assertNull(failure.get(), () -> "copies on a worker thread (its own current context): " + failure.get());
        } finally {
            memory.close();
        }
        assertEquals(lib.intCounter("double_allocs"), lib.intCounter("double_frees"));
        assertEquals(lib.intCounter("double_retains"), lib.intCounter("double_releases"));
    }

    @Test
    void anUnalignedAllocationIsRedoneLargerAndAligned() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("unaligned"), "DOUBLE_UNALIGNED");
        CudaMemory memory = CudaMemory.allocate(CudaDriver.load(lib.library), null, 2 * Sizes.MIB);
        try {
            assertEquals(2, lib.intCounter("double_allocs"));
            assertEquals(1, lib.intCounter("double_frees"), "the unaligned first try was freed");
            assertEquals(0, memory.pointer() % CudaMemory.ALIGNMENT);
            assertEquals(2 * Sizes.MIB, memory.size());
            assertEquals("cuda 0000:04:00.0 of 2 MiB", memory.description(), "device 0 without --tcpd-gpu-pci-addr");
        } finally {
            memory.close();
        }
        assertEquals(2, lib.intCounter("double_frees"));
    }

    @Test
    void stubLibraryIsNamed() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("stub"), "DOUBLE_STUB");
        CudaDriver driver = CudaDriver.load(lib.library);
        MissingSupportException e = assertThrows(MissingSupportException.class,
                () -> CudaMemory.allocate(driver, null, Sizes.MIB));
        assertEquals("cuda: " + lib.library + " is the CUDA stub library (CUDA_ERROR_STUB_LIBRARY 34): no NVIDIA driver"
                + " is installed", e.getMessage());
        CudaException cause = (CudaException) e.getCause();
        assertEquals("cuInit: CUDA_ERROR_STUB_LIBRARY (34): CUDA driver is a stub library", cause.getMessage());
    }

    @Test
    void noDeviceIsNamed() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("nodev"), "DOUBLE_NO_DEVICE");
        MissingSupportException e = assertThrows(MissingSupportException.class,
                () -> CudaMemory.allocate(CudaDriver.load(lib.library), null, Sizes.MIB));
        assertTrue(e.getMessage().contains("no CUDA-capable GPU (CUDA_ERROR_NO_DEVICE 100"), e.getMessage());
    }

    @Test
    void gpuWithoutDmabufSupportIsRefusedBeforeAllocating() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("nodmabuf"), "DOUBLE_NO_DMABUF");
        MissingSupportException e = assertThrows(MissingSupportException.class,
                () -> CudaMemory.allocate(CudaDriver.load(lib.library), "0000:04:00.0", Sizes.MIB));
        assertTrue(e.getMessage().startsWith("cuda: GPU 0000:04:00.0 cannot export dma-bufs"
                + " (CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED is 0"), e.getMessage());
        assertEquals(0, lib.intCounter("double_allocs"));
        assertEquals(0, lib.intCounter("double_retains"));
    }

    @Test
    void unknownGpuAddressListsTheVisibleOnes() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("pci"));
        MissingSupportException e = assertThrows(MissingSupportException.class,
                () -> CudaMemory.allocate(CudaDriver.load(lib.library), "0000:09:00.0", Sizes.MIB));
        assertEquals("cuda: no GPU at 0000:09:00.0 (the visible GPUs are at 0000:04:00.0, 0000:05:00.0)", e.getMessage());
    }

    @Test
    void errorNamesComeFromTheLibrary() throws Exception {
        CudaDriver driver = CudaDriver.load(CudaDoubleLibrary.compile(temp.resolve("names")).library);
        assertEquals("CUDA_ERROR_NO_DEVICE", driver.errorName(100));
        assertNull(driver.errorName(12345), "an unknown code: the library answers INVALID_VALUE");
        CudaException e = assertThrows(CudaException.class, driver::deviceCount);
        assertEquals(3, e.result(), "before cuInit");
        assertEquals(13000, driver.driverVersion());
    }

    @Test
    void missingLibraryAndMissingSymbolsAreNamed() throws Exception {
        MissingSupportException missing = assertThrows(MissingSupportException.class,
                () -> CudaDriver.load(Map.of(CudaLibrary.VARIABLE, temp.resolve("none").toString())));
        assertTrue(missing.getMessage().startsWith("cuda: libcuda.so.1 not found (searched [" + temp.resolve("none")),
                missing.getMessage());
        Path partial = temp.resolve("partial");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("p.c"), "int cuInit(unsigned f) { return 0; }\n");
        dev.neper.fleet.runner.testing.Commands.check("gcc", "-shared", "-fPIC", "-o",
                partial.resolve("libcuda.so.1").toString(), partial.resolve("p.c").toString());
        MissingSupportException symbols = assertThrows(MissingSupportException.class,
                () -> CudaDriver.load(partial.resolve("libcuda.so.1")));
        assertTrue(symbols.getMessage().endsWith("does not export cuDriverGetVersion (not a CUDA driver library, or too old)"),
                symbols.getMessage());
    }

    @Test
    void dmabufFdIsClosedWithTheMemory() throws Exception {
        CudaDoubleLibrary lib = CudaDoubleLibrary.compile(temp.resolve("close"));
        CudaMemory memory = CudaMemory.allocate(CudaDriver.load(lib.library), null, Sizes.MIB);
        int fd = memory.dmabufFd();
        memory.close();
        assertEquals(-9, Libc.close(fd), "EBADF: already closed");
    }
}
