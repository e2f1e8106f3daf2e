package dev.neper.fleet.runner.memory;

import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MissingSupportException;
import dev.neper.fleet.runner.sys.SysCallException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A udmabuf: a sealed memfd turned into a dmabuf by /dev/udmabuf, mapped for the CPU. The memfd
 * carries F_SEAL_SHRINK (udmabuf requires it; F_SEAL_WRITE must not be set); CPU accesses are
 * bracketed with DMA_BUF_IOCTL_SYNC.
 */
public final class UdmabufMemory implements PayloadMemory {
    public static final Path DEVICE = Path.of("/dev/udmabuf");
    public static final Path SIZE_LIMIT = Path.of("/sys/module/udmabuf/parameters/size_limit_mb");
    static final int F_ADD_SEALS = 0x409;
    static final int F_SEAL_SHRINK = 2;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;

    private final Arena arena = Arena.ofShared();
    private final int memfd;
    private final int dmabuf;
    private final long size;
    private final MemorySegment mapping;
    private final MemorySegment sync = arena.allocate(8, 8);

    private UdmabufMemory(int memfd, int dmabuf, long size, MemorySegment mapping) {
        this.memfd = memfd;
        this.dmabuf = dmabuf;
        this.size = size;
        this.mapping = mapping;
    }

    /** Why /dev/udmabuf cannot be used here, or null when it exists. */
    public static String unavailableReason() {
        if (!Files.exists(DEVICE)) {
            return DEVICE + " does not exist (kernel without CONFIG_UDMABUF, or the udmabuf module is not loaded)";
        }
        return null;
    }

    /** The module's size limit (size_limit_mb, 64 MiB by default), when the module reports it. */
    public static OptionalLong sizeLimit() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readAllLines(SIZE_LIMIT).getFirst().trim()) * Sizes.MIB);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    public static UdmabufMemory allocate(long requested) throws IOException {
        String reason = unavailableReason();
        if (reason != null) {
            throw new MissingSupportException("udmabuf: " + reason);
        }
        long size = Sizes.roundUp(requested, Sizes.PAGE);
        OptionalLong limit = sizeLimit();
        if (limit.isPresent() && size > limit.getAsLong()) {
            throw new MissingSupportException("udmabuf: " + Sizes.format(size) + " exceeds the module's limit of "
                    + Sizes.format(limit.getAsLong()) + " (" + SIZE_LIMIT + "); ask for less with --tcpd-phys-len");
        }
        int memfd = -1;
        int device = -1;
        int dmabuf = -1;
        try (Arena a = Arena.ofConfined()) {
            memfd = SysCallException.check("memfd_create",
                    Libc.memfdCreate(a.allocateFrom("neper-runner-udmabuf"), Libc.MFD_ALLOW_SEALING | Libc.MFD_CLOEXEC));
            SysCallException.check("fcntl(F_ADD_SEALS, F_SEAL_SHRINK)", Libc.fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK));
            SysCallException.check("ftruncate(memfd, " + size + ")", Libc.ftruncate(memfd, size));
            device = Libc.open(a.allocateFrom(DEVICE.toString()), O_RDWR | O_CLOEXEC, 0);
            if (device == -Errno.ENOENT) {
                throw new MissingSupportException("udmabuf: " + DEVICE + " does not exist");
            }
            SysCallException.check("open(" + DEVICE + ")", device);
            MemorySegment create = a.allocate(UdmabufStructs.UDMABUF_CREATE_SIZE, 8);
            UdmabufStructs.create(create, memfd, UdmabufStructs.UDMABUF_FLAGS_CLOEXEC, 0, size);
            dmabuf = SysCallException.check("ioctl(UDMABUF_CREATE, " + Sizes.format(size) + ")",
                    Libc.ioctl(device, UdmabufStructs.UDMABUF_CREATE, create));
            long address = SysCallException.check("mmap(udmabuf)",
                    Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, dmabuf, 0));
            return new UdmabufMemory(memfd, dmabuf, size, MemorySegment.ofAddress(address).reinterpret(size));
        } catch (IOException | RuntimeException e) {
            closeIfOpen(dmabuf);
            closeIfOpen(memfd);
            throw e;
        } finally {
            closeIfOpen(device);
        }
    }

    private static void closeIfOpen(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }

    @Override
    public String description() {
        return "udmabuf of " + Sizes.format(size);
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
    public void copyToHost(long offset, MemorySegment destination, long destinationOffset, long length) {
        MemorySegment.copy(mapping, offset, destination, destinationOffset, length);
    }

    @Override
    public void copyFromHost(MemorySegment source, long sourceOffset, long offset, long length) throws IOException {
        syncIoctl(UdmabufStructs.DMA_BUF_SYNC_START | UdmabufStructs.DMA_BUF_SYNC_WRITE);
        MemorySegment.copy(source, sourceOffset, mapping, offset, length);
        syncIoctl(UdmabufStructs.DMA_BUF_SYNC_END | UdmabufStructs.DMA_BUF_SYNC_WRITE);
    }

    @Override
    public void beginCpuRead() throws IOException {
        syncIoctl(UdmabufStructs.DMA_BUF_SYNC_START | UdmabufStructs.DMA_BUF_SYNC_READ);
    }

    @Override
    public void endCpuRead() throws IOException {
        syncIoctl(UdmabufStructs.DMA_BUF_SYNC_END | UdmabufStructs.DMA_BUF_SYNC_READ);
    }

    private synchronized void syncIoctl(long flags) throws SysCallException {
        UdmabufStructs.sync(sync, flags);
        SysCallException.check("ioctl(DMA_BUF_IOCTL_SYNC)", Libc.ioctl(dmabuf, UdmabufStructs.DMA_BUF_IOCTL_SYNC, sync));
    }

    @Override
    public void close() {
        Libc.munmap(mapping.address(), size);
        Libc.close(dmabuf);
        Libc.close(memfd);
        arena.close();
    }
}
