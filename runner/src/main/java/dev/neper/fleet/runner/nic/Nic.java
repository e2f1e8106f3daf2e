package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.DriverInfo;
import dev.neper.fleet.runner.ethtool.EthtoolIoctl;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.MissingSupportException;
import dev.neper.fleet.runner.sys.SysCallException;

import java.lang.foreign.Arena;

/**
 * A network interface of the calling thread's network namespace: its name, index, driver and bus
 * address (the NIC's PCI address for a PCI device, empty for virtual ones).
 */
public record Nic(String name, int ifindex, String driver, String busInfo) {
    /** Looks the interface up; a missing interface is a {@link MissingSupportException} naming it. */
    public static Nic resolve(String name) throws SysCallException, MissingSupportException {
        int ifindex;
        try (Arena arena = Arena.ofConfined()) {
            ifindex = Libc.ifNameToIndex(arena.allocateFrom(name));
        }
        if (ifindex == -Errno.ENODEV || ifindex == -Errno.ENXIO) {
            throw new MissingSupportException(name + ": no such network interface in this network namespace");
        }
        SysCallException.check("if_nametoindex(" + name + ")", ifindex);
        DriverInfo info;
        try (EthtoolIoctl ethtool = EthtoolIoctl.open()) {
            info = ethtool.driverInfo(name);
        } catch (SysCallException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            info = new DriverInfo("unknown", "");
        }
        return new Nic(name, ifindex, info.driver(), info.busInfo());
    }
}
