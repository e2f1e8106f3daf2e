package dev.neper.fleet.runner.netdev;

/** What dev-get reports about a device (the XDP feature bits; devmem support is only known by trying to bind). */
public record DeviceInfo(int ifindex, long xdpFeatures) {
}
