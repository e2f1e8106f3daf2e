package dev.neper.fleet.runner.sys;

import java.io.IOException;

/** A failed system or library call: names the call and the errno it returned. */
public class SysCallException extends IOException {
    private final String call;
    private final int errno;

    public SysCallException(String call, int errno) {
        this(call, errno, null);
    }

    public SysCallException(String call, int errno, String detail) {
        super(call + ": " + Errno.describe(errno) + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** Throws for a negative result in the -errno convention of {@link Libc}; returns the result otherwise. */
    public static long check(String call, long result) throws SysCallException {
        if (result < 0) {
            throw new SysCallException(call, (int) -result);
        }
        return result;
    }

    public static int check(String call, int result) throws SysCallException {
        if (result < 0) {
            throw new SysCallException(call, -result);
        }
        return result;
    }
}
