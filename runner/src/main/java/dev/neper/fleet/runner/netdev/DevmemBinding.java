package dev.neper.fleet.runner.netdev;

import dev.neper.fleet.runner.netlink.GenericNetlink;

/**
 * A dmabuf bound to a device for devmem RX or TX. The kernel ties the binding to the netlink socket
 * that created it and has no unbind command: the binding lasts exactly as long as this object, and
 * {@link #close} (or the process ending) unbinds it.
 */
public final class DevmemBinding implements AutoCloseable {
    private final GenericNetlink socket;
    private final int id;
    private final String description;

    DevmemBinding(GenericNetlink socket, int id, String description) {
        this.socket = socket;
        this.id = id;
        this.description = description;
    }

    /** The binding id, which every dmabuf_cmsg of this binding carries. */
    public int id() {
        return id;
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return description + " (binding " + id + ")";
    }
}
