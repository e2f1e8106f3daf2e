package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc binding: every libc function the runner calls, as typed static methods over FFM
 * method handles.
 *
 * <p>Calls that can fail return the C result when it is non-negative and {@code -errno} when the
 * call failed, so the hot path (recv/send on nonblocking sockets, where EAGAIN is normal) needs no
 * exception and no allocation. {@link SysCallException#check} turns a negative result into an
 * exception that names the call and the errno.
 */
@SuppressWarnings("restricted")
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle SOCKET = errnoCall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKETPAIR =
            errnoCall("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle SETSOCKOPT =
            errnoCall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT =
            errnoCall("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle BIND = errnoCall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = errnoCall("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = errnoCall("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 =
            errnoCall("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME =
            errnoCall("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME =
            errnoCall("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle RECV = errnoCall("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SEND = errnoCall("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle READ = errnoCall("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = errnoCall("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle SHUTDOWN = errnoCall("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = errnoCall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle POLL = errnoCall("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle EPOLL_CREATE1 = errnoCall("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL =
            errnoCall("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT =
            errnoCall("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = errnoCall("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SCHED_SETAFFINITY =
            errnoCall("sched_setaffinity", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle SCHED_GETAFFINITY =
            errnoCall("sched_getaffinity", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle GETRUSAGE = errnoCall("getrusage", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle RECVMSG = errnoCall("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDMSG = errnoCall("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    /** ioctl(int, unsigned long, ...) with one pointer argument: variadic from the third argument. */
    private static final MethodHandle IOCTL = variadicCall("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    /** fcntl(int, int, ...) with one int argument. */
    private static final MethodHandle FCNTL = variadicCall("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    /** open(const char *, int, ...) with the mode argument. */
    private static final MethodHandle OPEN = variadicCall("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle MEMFD_CREATE = errnoCall("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle FTRUNCATE = errnoCall("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MMAP =
            errnoCall("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = errnoCall("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle MADVISE = errnoCall("madvise", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle CLOCK_NANOSLEEP =
            LINKER.downcallHandle(find("clock_nanosleep").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** prctl(int option, ...) with one unsigned long argument. */
    private static final MethodHandle PRCTL = variadicCall("prctl", 1, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle SYSCONF = errnoCall("sysconf", JAVA_LONG, JAVA_INT);
    /** syscall(long number, ...) with the bpf(2) arguments: int cmd, union bpf_attr *attr, unsigned size. */
    private static final MethodHandle SYSCALL_BPF =
            variadicCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final long SYS_BPF = 321;
    private static final MethodHandle SETNS = errnoCall("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle IF_NAMETOINDEX = errnoCall("if_nametoindex", JAVA_INT, ADDRESS);
    private static final MethodHandle STRERROR =
            LINKER.downcallHandle(find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** glibc 2.32+; older libcs get numeric names. */
    private static final Optional<MethodHandle> STRERRORNAME = find("strerrorname_np")
            .map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT)));

    private Libc() {
    }

    private static Optional<MemorySegment> find(String name) {
        return LIBC.find(name);
    }

    private static MethodHandle errnoCall(String name, java.lang.foreign.MemoryLayout result,
                                          java.lang.foreign.MemoryLayout... args) {
        MemorySegment symbol = find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args), ERRNO);
    }

    private static MethodHandle variadicCall(String name, int fixedArgs, java.lang.foreign.MemoryLayout result,
                                             java.lang.foreign.MemoryLayout... args) {
        MemorySegment symbol = find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args), ERRNO,
                Linker.Option.firstVariadicArg(fixedArgs));
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    private static int result(int r, MemorySegment state) {
        return r < 0 ? -errno(state) : r;
    }

    /**
     * Without a branch: recv and send return -1 in some runs' phases only (EAGAIN where a chain of
     * calls ends), and a branch the JIT had seen go one way in the warm-up is compiled as always going
     * so, to deoptimize in the measured window; the errno load is paid on every call instead.
     */
    private static long result(long r, MemorySegment state) {
        long failed = r >> 63;
        return (r & ~failed) | (-(long) errno(state) & failed);
    }

    private static AssertionError linkageBroken(Throwable t) {
        return new AssertionError("FFM downcall failed to link or invoke", t);
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = state();
        try {
            return result((int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** {@code fds} receives the two connected descriptors (int[2]). */
    public static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        MemorySegment st = state();
        try {
            return result((int) SOCKETPAIR.invokeExact(st, domain, type, protocol, fds), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment st = state();
        try {
            return result((int) SETSOCKOPT.invokeExact(st, fd, level, name, value, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** {@code length} points to a socklen_t holding the buffer size; the kernel writes the value's size back. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment st = state();
        try {
            return result((int) GETSOCKOPT.invokeExact(st, fd, level, name, value, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int bind(int fd, MemorySegment address, int length) {
        MemorySegment st = state();
        try {
            return result((int) BIND.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int connect(int fd, MemorySegment address, int length) {
        MemorySegment st = state();
        try {
            return result((int) CONNECT.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment st = state();
        try {
            return result((int) LISTEN.invokeExact(st, fd, backlog), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int accept4(int fd, MemorySegment address, MemorySegment length, int flags) {
        MemorySegment st = state();
        try {
            return result((int) ACCEPT4.invokeExact(st, fd, address, length, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int getsockname(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment st = state();
        try {
            return result((int) GETSOCKNAME.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int getpeername(int fd, MemorySegment address, MemorySegment length) {
        MemorySegment st = state();
        try {
            return result((int) GETPEERNAME.invokeExact(st, fd, address, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long recv(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment st = state();
        try {
            return result((long) RECV.invokeExact(st, fd, buffer, length, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long send(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment st = state();
        try {
            return result((long) SEND.invokeExact(st, fd, buffer, length, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment st = state();
        try {
            return result((long) READ.invokeExact(st, fd, buffer, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment st = state();
        try {
            return result((long) WRITE.invokeExact(st, fd, buffer, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int shutdown(int fd, int how) {
        MemorySegment st = state();
        try {
            return result((int) SHUTDOWN.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int close(int fd) {
        MemorySegment st = state();
        try {
            return result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        MemorySegment st = state();
        try {
            return result((int) POLL.invokeExact(st, fds, count, timeoutMillis), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int epollCreate1(int flags) {
        MemorySegment st = state();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment st = state();
        try {
            return result((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment st = state();
        try {
            return result((int) EPOLL_WAIT.invokeExact(st, epfd, events, maxEvents, timeoutMillis), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int eventfd(int initialValue, int flags) {
        MemorySegment st = state();
        try {
            return result((int) EVENTFD.invokeExact(st, initialValue, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** pid 0 is the calling thread. */
    public static int schedSetaffinity(int pid, long size, MemorySegment mask) {
        MemorySegment st = state();
        try {
            return result((int) SCHED_SETAFFINITY.invokeExact(st, pid, size, mask), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int schedGetaffinity(int pid, long size, MemorySegment mask) {
        MemorySegment st = state();
        try {
            return result((int) SCHED_GETAFFINITY.invokeExact(st, pid, size, mask), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int getrusage(int who, MemorySegment usage) {
        MemorySegment st = state();
        try {
            return result((int) GETRUSAGE.invokeExact(st, who, usage), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment st = state();
        try {
            return result((long) RECVMSG.invokeExact(st, fd, msghdr, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment st = state();
        try {
            return result((long) SENDMSG.invokeExact(st, fd, msghdr, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment argument) {
        MemorySegment st = state();
        try {
            return result((int) IOCTL.invokeExact(st, fd, request, argument), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int fcntl(int fd, int command, int argument) {
        MemorySegment st = state();
        try {
            return result((int) FCNTL.invokeExact(st, fd, command, argument), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** {@code path} is a NUL-terminated string. */
    public static int open(MemorySegment path, int flags, int mode) {
        MemorySegment st = state();
        try {
            return result((int) OPEN.invokeExact(st, path, flags, mode), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int memfdCreate(MemorySegment name, int flags) {
        MemorySegment st = state();
        try {
            return result((int) MEMFD_CREATE.invokeExact(st, name, flags), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int ftruncate(int fd, long length) {
        MemorySegment st = state();
        try {
            return result((int) FTRUNCATE.invokeExact(st, fd, length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** mmap(2) protections and flags and madvise(2) advice (asm-generic/mman-common.h and mman.h, the same on every Linux architecture the runner runs on). */
    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MADV_DONTNEED = 4;
    /** memfd_create(2) flags (linux/memfd.h). */
    public static final int MFD_CLOEXEC = 1;
    public static final int MFD_ALLOW_SEALING = 2;

    /** Returns the mapping's address, or -errno (MAP_FAILED is (void *) -1, never a valid user address). */
    public static long mmap(long length, int protection, int flags, int fd, long offset) {
        return mmap(0, length, protection, flags, fd, offset);
    }

    /** mmap with an address: a hint, or with MAP_FIXED the place the mapping replaces. */
    public static long mmap(long address, long length, int protection, int flags, int fd, long offset) {
        MemorySegment st = state();
        try {
            MemorySegment mapped = (MemorySegment) MMAP.invokeExact(st, MemorySegment.ofAddress(address), length,
                    protection, flags, fd, offset);
            return mapped.address() == -1L ? -errno(st) : mapped.address();
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int munmap(long address, long length) {
        MemorySegment st = state();
        try {
            return result((int) MUNMAP.invokeExact(st, MemorySegment.ofAddress(address), length), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int madvise(long address, long length, int advice) {
        MemorySegment st = state();
        try {
            return result((int) MADVISE.invokeExact(st, MemorySegment.ofAddress(address), length, advice), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /**
     * clock_nanosleep(clock, flags, request, remain): returns 0 or the error number itself (it does
     * not set errno), EINTR when a signal cut the sleep short.
     */
    public static int clockNanosleep(int clock, int flags, MemorySegment request, MemorySegment remain) {
        try {
            return (int) CLOCK_NANOSLEEP.invokeExact(clock, flags, request, remain);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static int prctl(int option, long argument) {
        MemorySegment st = state();
        try {
            return result((int) PRCTL.invokeExact(st, option, argument), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** bpf(2), which libc does not wrap: returns the result (a descriptor for loads) or -errno. */
    public static long bpf(int command, MemorySegment attr, int size) {
        MemorySegment st = state();
        try {
            return result((long) SYSCALL_BPF.invokeExact(st, SYS_BPF, command, attr, size), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static long sysconf(int name) {
        MemorySegment st = state();
        try {
            return result((long) SYSCONF.invokeExact(st, name), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** Moves the calling thread (only it) into the namespace {@code fd} refers to. */
    public static int setns(int fd, int namespaceType) {
        MemorySegment st = state();
        try {
            return result((int) SETNS.invokeExact(st, fd, namespaceType), st);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** The interface's index in the calling thread's network namespace, or -errno (ENODEV when there is none). */
    public static int ifNameToIndex(MemorySegment name) {
        MemorySegment st = state();
        try {
            int index = (int) IF_NAMETOINDEX.invokeExact(st, name);
            return index == 0 ? -errno(st) : index;
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }

    /** "EOPNOTSUPP" for 95; "errno 95" where the libc cannot name it. */
    public static String errnoName(int errno) {
        if (STRERRORNAME.isEmpty()) {
            return "errno " + errno;
        }
        try {
            MemorySegment name = (MemorySegment) STRERRORNAME.get().invokeExact(errno);
            return name.equals(MemorySegment.NULL) ? "errno " + errno : name.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw linkageBroken(t);
        }
    }
}
