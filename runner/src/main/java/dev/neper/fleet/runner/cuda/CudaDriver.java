package dev.neper.fleet.runner.cuda;

import dev.neper.fleet.runner.sys.MissingSupportException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA driver API (libcuda) through FFM: typed methods over the exported names (the _v2 ones
 * where cuda.h maps to them; never the per-thread-stream variants), each throwing a
 * {@link CudaException} with the CUresult's name and text. Enums are ints, CUdeviceptr is a u64,
 * handles are pointers.
 */
@SuppressWarnings("restricted")
public final class CudaDriver {
    public static final int CUDA_SUCCESS = 0;
    public static final int CUDA_ERROR_NOT_INITIALIZED = 3;
    public static final int CUDA_ERROR_STUB_LIBRARY = 34;
    public static final int CUDA_ERROR_NO_DEVICE = 100;
    public static final int CUDA_ERROR_NOT_SUPPORTED = 801;
    public static final int CU_DEVICE_ATTRIBUTE_PCI_BUS_ID = 33;
    public static final int CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID = 34;
    public static final int CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID = 50;
    public static final int CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED = 124;
    public static final int CU_POINTER_ATTRIBUTE_SYNC_MEMOPS = 6;
    public static final int CU_MEM_RANGE_HANDLE_TYPE_DMA_BUF_FD = 1;

    private static final Linker LINKER = Linker.nativeLinker();

    private final String library;
    private final SymbolLookup lookup;
    private final MethodHandle init;
    private final MethodHandle driverGetVersion;
    private final MethodHandle deviceGetCount;
    private final MethodHandle deviceGet;
    private final MethodHandle deviceGetAttribute;
    private final MethodHandle deviceGetPciBusId;
    private final MethodHandle primaryCtxRetain;
    private final MethodHandle primaryCtxRelease;
    private final MethodHandle ctxSetCurrent;
    private final MethodHandle ctxSynchronize;
    private final MethodHandle memAlloc;
    private final MethodHandle memFree;
    private final MethodHandle memsetD8;
    private final MethodHandle memcpyHtoD;
    private final MethodHandle memcpyDtoH;
    private final MethodHandle pointerSetAttribute;
    private final Optional<MethodHandle> memGetHandleForAddressRange;
    private final Optional<MethodHandle> getErrorName;
    private final Optional<MethodHandle> getErrorString;

    private CudaDriver(String library, SymbolLookup lookup) throws MissingSupportException {
        this.library = library;
        this.lookup = lookup;
        init = required("cuInit", JAVA_INT, JAVA_INT);
        driverGetVersion = required("cuDriverGetVersion", JAVA_INT, ADDRESS);
        deviceGetCount = required("cuDeviceGetCount", JAVA_INT, ADDRESS);
        deviceGet = required("cuDeviceGet", JAVA_INT, ADDRESS, JAVA_INT);
        deviceGetAttribute = required("cuDeviceGetAttribute", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        deviceGetPciBusId = required("cuDeviceGetPCIBusId", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        primaryCtxRetain = required("cuDevicePrimaryCtxRetain", JAVA_INT, ADDRESS, JAVA_INT);
        primaryCtxRelease = required("cuDevicePrimaryCtxRelease_v2", JAVA_INT, JAVA_INT);
        ctxSetCurrent = required("cuCtxSetCurrent", JAVA_INT, ADDRESS);
        ctxSynchronize = required("cuCtxSynchronize", JAVA_INT);
        memAlloc = required("cuMemAlloc_v2", JAVA_INT, ADDRESS, JAVA_LONG);
        memFree = required("cuMemFree_v2", JAVA_INT, JAVA_LONG);
        memsetD8 = required("cuMemsetD8_v2", JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG);
        memcpyHtoD = required("cuMemcpyHtoD_v2", JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG);
        memcpyDtoH = required("cuMemcpyDtoH_v2", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
        pointerSetAttribute = required("cuPointerSetAttribute", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
        memGetHandleForAddressRange = optional("cuMemGetHandleForAddressRange",
                JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG);
        getErrorName = optional("cuGetErrorName", JAVA_INT, JAVA_INT, ADDRESS);
        getErrorString = optional("cuGetErrorString", JAVA_INT, JAVA_INT, ADDRESS);
    }

    /** Loads libcuda from the {@link CudaLibrary} search order for this environment. */
    public static CudaDriver load(Map<String, String> environment) throws MissingSupportException {
        Path path = CudaLibrary.locate(environment);
        if (path != null) {
            return load(path);
        }
        try {
            return new CudaDriver(CudaLibrary.SONAME, SymbolLookup.libraryLookup(CudaLibrary.SONAME, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new MissingSupportException("cuda: " + CudaLibrary.SONAME + " not found (searched "
                    + CudaLibrary.candidates(environment) + " and the dynamic loader's path; set "
                    + CudaLibrary.VARIABLE + " to the directory holding it)", e);
        }
    }

    public static CudaDriver load(Path path) throws MissingSupportException {
        try {
            return new CudaDriver(path.toString(), SymbolLookup.libraryLookup(path, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new MissingSupportException("cuda: cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    /** Where the library was loaded from. */
    public String library() {
        return library;
    }

    private MethodHandle required(String name, MemoryLayout result, MemoryLayout... args) throws MissingSupportException {
        return optional(name, result, args).orElseThrow(() -> new MissingSupportException(
                "cuda: " + library + " does not export " + name + " (not a CUDA driver library, or too old)"));
    }

    private Optional<MethodHandle> optional(String name, MemoryLayout result, MemoryLayout... args) {
        return lookup.find(name).map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args)));
    }

    private void check(String call, int result) throws CudaException {
        if (result != CUDA_SUCCESS) {
            throw new CudaException(call, result, errorName(result), errorString(result));
        }
    }

    /** CUDA_ERROR_NO_DEVICE and friends; null when the library cannot name the code. */
    public String errorName(int result) {
        return errorText(getErrorName, result);
    }

    public String errorString(int result) {
        return errorText(getErrorString, result);
    }

    private static String errorText(Optional<MethodHandle> handle, int result) {
        if (handle.isEmpty()) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int r = (int) handle.get().invokeExact(result, out);
            MemorySegment text = out.get(ADDRESS, 0);
            return r != CUDA_SUCCESS || text.equals(MemorySegment.NULL) ? null : text.reinterpret(512).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    private static AssertionError broken(Throwable t) {
        return new AssertionError("libcuda downcall failed to invoke", t);
    }

    public void init() throws CudaException {
        try {
            check("cuInit", (int) init.invokeExact(0));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public int driverVersion() throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDriverGetVersion", (int) driverGetVersion.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public int deviceCount() throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGetCount", (int) deviceGetCount.invokeExact(out));
            return out.get(JAVA_INT, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public int device(int ordinal) throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGet(" + ordinal + ")", (int) deviceGet.invokeExact(out, ordinal));
            return out.get(JAVA_INT, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public int attribute(int device, int attribute) throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check("cuDeviceGetAttribute(" + attribute + ")", (int) deviceGetAttribute.invokeExact(out, attribute, device));
            return out.get(JAVA_INT, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    /** "0000:04:00.0" (the driver's spelling, hex digits in upper case). */
    public String pciBusId(int device) throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(64);
            check("cuDeviceGetPCIBusId", (int) deviceGetPciBusId.invokeExact(out, 64, device));
            return out.getString(0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public MemorySegment retainPrimaryContext(int device) throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) primaryCtxRetain.invokeExact(out, device));
            return out.get(ADDRESS, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void releasePrimaryContext(int device) throws CudaException {
        try {
            check("cuDevicePrimaryCtxRelease_v2", (int) primaryCtxRelease.invokeExact(device));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void setCurrentContext(MemorySegment context) throws CudaException {
        try {
            check("cuCtxSetCurrent", (int) ctxSetCurrent.invokeExact(context));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void synchronize() throws CudaException {
        try {
            check("cuCtxSynchronize", (int) ctxSynchronize.invokeExact());
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public long memAlloc(long size) throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check("cuMemAlloc_v2(" + size + ")", (int) memAlloc.invokeExact(out, size));
            return out.get(JAVA_LONG, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void memFree(long pointer) throws CudaException {
        try {
            check("cuMemFree_v2", (int) memFree.invokeExact(pointer));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void memset(long pointer, byte value, long count) throws CudaException {
        try {
            check("cuMemsetD8_v2", (int) memsetD8.invokeExact(pointer, value, count));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void copyHostToDevice(long destination, MemorySegment source, long count) throws CudaException {
        try {
            check("cuMemcpyHtoD_v2", (int) memcpyHtoD.invokeExact(destination, source, count));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    public void copyDeviceToHost(MemorySegment destination, long source, long count) throws CudaException {
        try {
            check("cuMemcpyDtoH_v2", (int) memcpyDtoH.invokeExact(destination, source, count));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    /** cuPointerSetAttribute(&1, SYNC_MEMOPS, ptr): memory operations on the buffer are synchronous, as neper sets. */
    public void setSyncMemops(long pointer) throws CudaException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
            check("cuPointerSetAttribute(SYNC_MEMOPS)",
                    (int) pointerSetAttribute.invokeExact(one, CU_POINTER_ATTRIBUTE_SYNC_MEMOPS, pointer));
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }

    /** Exports [pointer, pointer + size) as a dma-buf file descriptor. */
    public int exportDmabuf(long pointer, long size) throws CudaException, MissingSupportException {
        MethodHandle handle = memGetHandleForAddressRange.orElseThrow(() -> new MissingSupportException("cuda: "
                + library + " has no cuMemGetHandleForAddressRange (a driver older than CUDA 11.7 cannot export dma-bufs)"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fd = arena.allocate(JAVA_INT);
            check("cuMemGetHandleForAddressRange(DMA_BUF_FD)", (int) handle.invokeExact(fd, pointer, size,
                    CU_MEM_RANGE_HANDLE_TYPE_DMA_BUF_FD, 0L));
            return fd.get(JAVA_INT, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw broken(t);
        }
    }
}
