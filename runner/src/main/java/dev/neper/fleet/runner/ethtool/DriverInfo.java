package dev.neper.fleet.runner.ethtool;

/** What ETHTOOL_GDRVINFO says about a NIC: its driver ("gve", "veth") and its bus address (a PCI address, or empty). */
public record DriverInfo(String driver, String busInfo) {
}
