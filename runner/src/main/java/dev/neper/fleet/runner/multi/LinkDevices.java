package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.LinkSpec;
import dev.neper.fleet.runner.contract.RunError;
import dev.neper.fleet.runner.netlink.RouteNetlink;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The node's network devices and their addresses (one rtnetlink dump, in this network namespace), to
 * check before a link runs that its device is the one its addresses say: it exists, it is up, and
 * the link's local address is on it. Flows bound only to an address would cross whatever NIC the
 * route picks, so a renamed NIC or swapped rail addresses would measure, and blame, the wrong device.
 */
final class LinkDevices {
    /** How long a link's device that is not up yet may take to come up before the link fails. */
    static final long UP_WAIT_MILLIS = 3_000;

    private final List<RouteNetlink.Link> devices;
    private final List<RouteNetlink.Address> addresses;

    LinkDevices(List<RouteNetlink.Link> devices, List<RouteNetlink.Address> addresses) {
        this.devices = List.copyOf(devices);
        this.addresses = List.copyOf(addresses);
    }

    /**
     * This node's devices and addresses; while one of {@code wanted} exists but is not up, dumped again
     * for up to {@link #UP_WAIT_MILLIS}: a device just set up reports its operstate only once the
     * kernel's link watch has run (up to a second later).
     */
    static LinkDevices ofThisNode(List<String> wanted) throws IOException, InterruptedException {
        long end = System.nanoTime() + UP_WAIT_MILLIS * 1_000_000L;
        try (RouteNetlink route = RouteNetlink.open()) {
            while (true) {
                LinkDevices now = new LinkDevices(route.links(), route.addresses());
                if (System.nanoTime() > end || now.devices.stream().noneMatch(d -> wanted.contains(d.name())
                        && d.operstate() != null && !DeviceState.working(d.operstate()))) {
                    return now;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Why {@code link} cannot run on its device, or empty: WRONG_DEVICE when the device does not exist
     * or does not hold the link's local address (unless {@code freebind}: such a server may bind an
     * address not yet on the node), LINK_DOWN when it is not up (with the address problem too, when
     * there is one).
     */
    Optional<RunError> problem(LinkSpec link, boolean freebind) {
        Optional<RouteNetlink.Link> device = devices.stream().filter(d -> d.name().equals(link.device())).findFirst();
        if (device.isEmpty()) {
            return Optional.of(new RunError(ErrorKind.WRONG_DEVICE, "device " + link.device()
                    + " does not exist on this node (its devices: " + devices.stream().map(RouteNetlink.Link::name)
                    .collect(Collectors.joining(", ")) + ")"));
        }
        String wrongAddress = freebind ? null : addressProblem(link, device.get());
        String state = device.get().operstate();
        if (state != null && !DeviceState.working(state)) {
            return Optional.of(new RunError(ErrorKind.LINK_DOWN, LinkSetRun.linkDownMessage(link.device(), state, 0)
                    + (wrongAddress == null ? "" : "; " + wrongAddress)));
        }
        return Optional.ofNullable(wrongAddress).map(problem -> new RunError(ErrorKind.WRONG_DEVICE, problem));
    }

    private String addressProblem(LinkSpec link, RouteNetlink.Link device) {
        InetAddress local;
        try {
            local = InetAddress.ofLiteral(link.localIp());
        } catch (IllegalArgumentException e) {
            return null; // not a literal: the engine resolves it and says what is wrong
        }
        List<RouteNetlink.Address> own = addresses.stream().filter(a -> a.index() == device.index()).toList();
        if (own.stream().anyMatch(a -> a.address().equals(local))) {
            return null;
        }
        // the addresses it has of the link's family: an IPv4 rail's device also has its IPv6 link-local one
        own = own.stream().filter(a -> a.address().getClass() == local.getClass()).toList();
        String holder = addresses.stream().filter(a -> a.address().equals(local)).findFirst()
                .flatMap(a -> devices.stream().filter(d -> d.index() == a.index()).findFirst())
                .map(d -> "it is on " + d.name() + " (swapped addresses, or a renamed device?)")
                .orElse("no device of this node has it");
        return link.localIp() + " is not an address of " + link.device() + " (" + link.device() + " has "
                + (own.isEmpty() ? "no " + (local instanceof Inet4Address ? "IPv4" : "IPv6") + " address" : own.stream().map(RouteNetlink.Address::text)
                .collect(Collectors.joining(", "))) + "; " + holder + ")";
    }
}
