/*
 * A test double of libcuda.so.1: the CUDA driver API names the runner binds, with cuda.h's ABI
 * (CUresult and enums as int, CUdeviceptr as unsigned long long, handles as pointers), backed by
 * host memory. Compiled by CudaDriverTest with gcc; variants by -D:
 *   DOUBLE_STUB       cuInit answers CUDA_ERROR_STUB_LIBRARY (34), as the stub library does
 *   DOUBLE_NO_DEVICE  cuInit answers CUDA_ERROR_NO_DEVICE (100)
 *   DOUBLE_NO_DMABUF  CU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED (124) is 0
 *   DOUBLE_UNALIGNED  the first cuMemAlloc_v2 returns a pointer 4 KiB past a 2 MiB boundary
 * Exported counters let the test see what the runner called.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef unsigned long long CUdeviceptr;
typedef int CUresult;

int double_retains, double_releases, double_frees, double_allocs, double_exports;
CUdeviceptr double_sync_memops_ptr, double_export_ptr;
size_t double_export_size;
int double_export_type;
unsigned long long double_export_flags;

static int initialized;
static int context_token;
static __thread void *current;
static void *allocations[64];
static int allocation_count;

#define TWO_MIB (2ULL << 20)

CUresult cuInit(unsigned int flags) {
    if (flags != 0) return 1;
#if defined(DOUBLE_STUB)
    return 34;
#elif defined(DOUBLE_NO_DEVICE)
    return 100;
#else
    initialized = 1;
    return 0;
#endif
}

CUresult cuDriverGetVersion(int *version) { *version = 13000; return 0; }

CUresult cuDeviceGetCount(int *count) {
    if (!initialized) return 3;
    *count = 2;
    return 0;
}

CUresult cuDeviceGet(int *device, int ordinal) {
    if (!initialized) return 3;
    if (ordinal < 0 || ordinal > 1) return 101;
    *device = ordinal;
    return 0;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
    if (device < 0 || device > 1) return 101;
    switch (attribute) {
    case 33: *value = 4 + device; return 0;
    case 34: *value = 0; return 0;
    case 50: *value = 0; return 0;
#ifdef DOUBLE_NO_DMABUF
    case 124: *value = 0; return 0;
#else
    case 124: *value = 1; return 0;
#endif
    default: return 1;
    }
}

CUresult cuDeviceGetPCIBusId(char *bus, int length, int device) {
    if (device < 0 || device > 1 || length < 13) return 1;
    strcpy(bus, device == 0 ? "0000:04:00.0" : "0000:05:00.0");
    return 0;
}

CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
    if (device < 0 || device > 1) return 101;
    double_retains++;
    *context = &context_token;
    return 0;
}

CUresult cuDevicePrimaryCtxRelease_v2(int device) { double_releases++; return 0; }

CUresult cuCtxSetCurrent(void *context) { current = context; return 0; }

CUresult cuCtxSynchronize(void) { return current ? 0 : 201; }

CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t size) {
    if (!current) return 201;
    void *base = aligned_alloc(TWO_MIB, size + TWO_MIB);
    if (!base) return 2;
    allocations[allocation_count++ % 64] = base;
    double_allocs++;
#ifdef DOUBLE_UNALIGNED
    *pointer = (CUdeviceptr) base + (double_allocs == 1 ? 4096 : 256);
#else
    *pointer = (CUdeviceptr) base;
#endif
    return 0;
}

CUresult cuMemFree_v2(CUdeviceptr pointer) {
    if (!current) return 201;
    for (int i = 0; i < 64; i++) {
        if (allocations[i] && pointer - (CUdeviceptr) allocations[i] < TWO_MIB) {
            free(allocations[i]);
            allocations[i] = 0;
            double_frees++;
            return 0;
        }
    }
    return 1;
}

CUresult cuMemsetD8_v2(CUdeviceptr pointer, unsigned char value, size_t count) {
    if (!current) return 201;
    memset((void *) pointer, value, count);
    return 0;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr destination, const void *source, size_t count) {
    if (!current) return 201;
    memcpy((void *) destination, source, count);
    return 0;
}

CUresult cuMemcpyDtoH_v2(void *destination, CUdeviceptr source, size_t count) {
    if (!current) return 201;
    memcpy(destination, (const void *) source, count);
    return 0;
}

CUresult cuPointerSetAttribute(const void *value, int attribute, CUdeviceptr pointer) {
    if (attribute != 6 || *(const unsigned int *) value != 1) return 1;
    double_sync_memops_ptr = pointer;
    return 0;
}

CUresult cuMemGetHandleForAddressRange(void *handle, CUdeviceptr pointer, size_t size, int type,
                                       unsigned long long flags) {
    if (pointer % 4096 || size % 4096) return 1;
    double_export_ptr = pointer;
    double_export_size = size;
    double_export_type = type;
    double_export_flags = flags;
    double_exports++;
    *(int *) handle = memfd_create("cuda-double-dmabuf", MFD_CLOEXEC);
    return 0;
}

static const char *name_of(int error) {
    switch (error) {
    case 0: return "CUDA_SUCCESS";
    case 1: return "CUDA_ERROR_INVALID_VALUE";
    case 3: return "CUDA_ERROR_NOT_INITIALIZED";
    case 34: return "CUDA_ERROR_STUB_LIBRARY";
    case 100: return "CUDA_ERROR_NO_DEVICE";
    case 101: return "CUDA_ERROR_INVALID_DEVICE";
    case 201: return "CUDA_ERROR_INVALID_CONTEXT";
    default: return 0;
    }
}

CUresult cuGetErrorName(int error, const char **name) {
    const char *n = name_of(error);
    if (!n) return 1;
    *name = n;
    return 0;
}

CUresult cuGetErrorString(int error, const char **text) {
    switch (error) {
    case 34: *text = "CUDA driver is a stub library"; return 0;
    case 100: *text = "no CUDA-capable device is detected"; return 0;
    case 201: *text = "invalid device context"; return 0;
    default: return name_of(error) ? (*text = "test double error", 0) : 1;
    }
}
