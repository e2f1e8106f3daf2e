package dev.neper.fleet.runner.contract;

/** An NVIDIA GPU on the PCI bus: its address, PCI device id (e.g. "0x2330"), NUMA node (null when unknown). */
public record GpuDevice(String pci, String deviceId, Integer numa) {
}
