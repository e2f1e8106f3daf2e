package dev.neper.fleet.runner.netdev;

import dev.neper.fleet.runner.netlink.GenericNetlink;
import dev.neper.fleet.runner.netlink.GenlFamily;
import dev.neper.fleet.runner.netlink.NetlinkException;
import dev.neper.fleet.runner.sys.Errno;

import java.io.IOException;
import java.util.List;

/**
 * Asks a driver whether it can do devmem without binding anything: bind-rx (or bind-tx) with dmabuf
 * fd -1. The kernel checks the driver before the fd, so a driver without the RX queue API (or
 * without netmem TX) answers EOPNOTSUPP, while a capable one gets as far as the fd and answers
 * EBADF. Nothing is ever bound (fd -1 is no dmabuf), and the probe's socket is closed at once.
 */
public final class DevmemProbe {
    /** The answer: whether the driver passed, and in words why or why not. */
    public record Result(boolean supported, String reason) {
    }

    private DevmemProbe() {
    }

    public static Result probeRx(String link, String driver, int ifindex, int queue) {
        return probe(link, driver, "bind-rx", Netdev.CMD_BIND_RX, "has no devmem RX queue API",
                family -> Netdev.bindRxRequest(family, ifindex, -1, List.of(queue)));
    }

    public static Result probeTx(String link, String driver, int ifindex) {
        return probe(link, driver, "bind-tx", Netdev.CMD_BIND_TX, "has no devmem TX support (netmem_tx)",
                family -> Netdev.bindTxRequest(family, ifindex, -1));
    }

    private static Result probe(String link, String driver, String op, int command, String unsupportedText,
                                Netdev.RequestFor request) {
        try (GenericNetlink.Connection connection = GenericNetlink.connect(Netdev.FAMILY)) {
            GenericNetlink netlink = connection.netlink();
            GenlFamily family = connection.family();
            if (!family.supports(command)) {
                return new Result(false, "the kernel's netdev family has no " + op
                        + (command == Netdev.CMD_BIND_TX ? " (devmem TX needs Linux 6.16)" : " (devmem RX needs Linux 6.12)"));
            }
            netlink.execute("netdev " + op + " probe on " + link, request.build(family));
            return new Result(false, op + " probe with fd -1 on " + link + " unexpectedly succeeded");
        } catch (NetlinkException e) {
            return switch (e.errno()) {
                case Errno.EOPNOTSUPP -> new Result(false, link + ": driver " + driver + " " + unsupportedText + " ("
                        + op + " EOPNOTSUPP" + (e.extackMessage() != null ? ": \"" + e.extackMessage() + "\"" : "") + ")");
                case Errno.EBADF -> new Result(true, "driver " + driver + " accepts " + op
                        + " (the probe's fd -1 was refused with EBADF, after the driver check)");
                case Errno.EPERM -> new Result(false, op + " needs CAP_NET_ADMIN, which this process lacks");
                case Errno.ENODEV -> new Result(false, link + ": device not present (" + op + " ENODEV)");
                default -> new Result(false, op + " probe on " + link + ": " + e.getMessage());
            };
        } catch (IOException e) {
            return new Result(false, op + " probe on " + link + ": " + e.getMessage());
        }
    }
}
