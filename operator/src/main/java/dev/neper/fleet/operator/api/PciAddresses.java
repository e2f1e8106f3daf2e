package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** A link's NIC and GPU on one node, when the user pins them instead of letting the runner discover them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PciAddresses(
        @Pattern(PCI_PATTERN)
        @JsonPropertyDescription("The NIC's PCI address (0000:06:00.0). neper's --tcpd-nic-pci-addr.")
        String nic,

        @Pattern(PCI_PATTERN)
        @JsonPropertyDescription("The GPU's PCI address (0000:04:00.0), cuda mode. neper's --tcpd-gpu-pci-addr.")
        String gpu) {

    /** domain:bus:device.function, as lspci -D prints it. */
    public static final String PCI_PATTERN = "^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$";
}
