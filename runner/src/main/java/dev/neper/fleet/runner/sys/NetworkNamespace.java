package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;

/**
 * Moves the calling thread into a named network namespace (/var/run/netns/NAME, as `ip netns`
 * makes them). setns acts on the calling thread only, so a dedicated thread can work inside another
 * namespace (its sockets, netlink requests and ioctls see that namespace's devices) while the rest
 * of the process stays where it was.
 */
public final class NetworkNamespace {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private NetworkNamespace() {
    }

    public static void enterCurrentThread(String name) throws SysCallException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = SysCallException.check("open network namespace " + name,
                    Libc.open(arena.allocateFrom("/var/run/netns/" + name), O_RDONLY_CLOEXEC, 0));
            try {
                SysCallException.check("setns(" + name + ")", Libc.setns(fd, CLONE_NEWNET));
            } finally {
                Libc.close(fd);
            }
        }
    }
}
