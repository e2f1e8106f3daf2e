package dev.neper.fleet.runner.netdev;

import dev.neper.fleet.runner.netlink.GenericNetlink;
import dev.neper.fleet.runner.netlink.GenlFamily;
import dev.neper.fleet.runner.netlink.NetlinkException;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.KernelVersion;

import java.io.IOException;
import java.util.List;

/**
 * Asks a driver whether it can do devmem without binding anything: bind-rx (or bind-tx) with dmabuf
 * fd -1. Nothing is ever bound (fd -1 is no dmabuf), and the probe's socket is closed at once.
 * What the answer means depends on the kernel: from 6.15 bind-rx asks the driver first, so a driver
 * without the RX queue API answers EOPNOTSUPP and a capable one gets as far as the fd (EBADF); on
 * 6.12 to 6.14 the fd is resolved first, so every device answers EBADF, veth and lo included, and
 * the probe cannot tell. bind-tx (6.16) always asks the driver first. Even a passed probe proves no
 * bind: from 6.15 a driver with ops-lock or shaper ops but no queue API passes it too; only a real
 * bind does, confirmed by queue-get ({@link Netdev#confirmRxBinding}).
 */
public final class DevmemProbe {
    /** What the probe tells about the driver. */
    public enum Verdict {
        /** The driver got past the kernel's driver check. */
        CAPABLE,
        /** The driver, or the kernel, cannot do it. */
        INCAPABLE,
        /** This kernel's answer does not depend on the driver. */
        UNKNOWN
    }

    /** The answer, and in words why. */
    public record Result(Verdict verdict, String reason) {
        /** Whether a run may go on to allocate memory and bind: the probe did not rule the driver out. */
        public boolean supported() {
            return verdict != Verdict.INCAPABLE;
        }
    }

    private DevmemProbe() {
    }

    public static Result probeRx(KernelVersion kernel, String link, String driver, int ifindex, int queue) {
        return probe(kernel, link, driver, "bind-rx", Netdev.CMD_BIND_RX, "has no devmem RX queue API",
                family -> Netdev.bindRxRequest(family, ifindex, -1, List.of(queue)));
    }

    public static Result probeTx(KernelVersion kernel, String link, String driver, int ifindex) {
        return probe(kernel, link, driver, "bind-tx", Netdev.CMD_BIND_TX, "has no devmem TX support (netmem_tx)",
                family -> Netdev.bindTxRequest(family, ifindex, -1));
    }

    private static Result probe(KernelVersion kernel, String link, String driver, String op, int command,
                                String unsupportedText, Netdev.RequestFor request) {
        try (GenericNetlink.Connection connection = GenericNetlink.connect(Netdev.FAMILY)) {
            GenericNetlink netlink = connection.netlink();
            GenlFamily family = connection.family();
            if (!family.supports(command)) {
                return new Result(Verdict.INCAPABLE, "the kernel's netdev family has no " + op
                        + (command == Netdev.CMD_BIND_TX ? " (devmem TX needs Linux 6.16)" : " (devmem RX needs Linux 6.12)"));
            }
            netlink.execute("netdev " + op + " probe on " + link, request.build(family));
            return new Result(Verdict.INCAPABLE, op + " probe with fd -1 on " + link + " unexpectedly succeeded");
        } catch (NetlinkException e) {
            return answer(kernel, link, driver, op, unsupportedText, e.errno(), e.extackMessage(), e.getMessage());
        } catch (IOException e) {
            return new Result(Verdict.INCAPABLE, op + " probe on " + link + ": " + e.getMessage());
        }
    }

    /** What the kernel's error answer to a probe means on this kernel. */
    public static Result answer(KernelVersion kernel, String link, String driver, String op, String unsupportedText,
                         int errno, String extack, String error) {
        return switch (errno) {
            case Errno.EOPNOTSUPP -> new Result(Verdict.INCAPABLE, link + ": driver " + driver + " " + unsupportedText
                    + " (" + op + " EOPNOTSUPP" + (extack != null ? ": \"" + extack + "\"" : "") + ")");
            case Errno.EBADF -> op.equals("bind-rx") && !kernel.atLeast(KernelVersion.BIND_RX_CHECKS_DRIVER_FIRST)
                    ? new Result(Verdict.UNKNOWN, "cannot tell on this kernel: Linux " + kernel + " resolves the dma-buf"
                            + " fd before it asks the driver, so the probe answers EBADF on every device; only a real"
                            + " bind (a run) shows whether driver " + driver + " has the RX queue API")
                    : new Result(Verdict.CAPABLE, "driver " + driver + " accepts " + op
                            + " (the probe's fd -1 was refused with EBADF, after the driver check)");
            case Errno.EPERM -> new Result(Verdict.INCAPABLE, op + " needs CAP_NET_ADMIN, which this process lacks");
            case Errno.ENODEV -> new Result(Verdict.INCAPABLE, link + ": device not present (" + op + " ENODEV)");
            default -> new Result(Verdict.INCAPABLE, op + " probe on " + link + ": " + error);
        };
    }
}
