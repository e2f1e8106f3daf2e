package dev.neper.fleet.runner.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * One link of a multi-link run: the NIC's interface name, this node's address on it, the peer's
 * address on it, and optionally the NIC's and the GPU's PCI addresses (else discovered). On the
 * command line: {@code --link eth1,192.168.1.26,192.168.1.23[,nic=0000:06:00.0][,gpu=0000:04:00.0]}.
 */
public record LinkSpec(String device, String localIp, String peerIp, String nicPci, String gpuPci) {
    public LinkSpec {
        if (device == null || device.isBlank() || device.contains(",")) {
            throw new IllegalArgumentException("a link needs an interface name without commas, got '" + device + "'");
        }
        if (localIp == null || localIp.isBlank() || peerIp == null || peerIp.isBlank()) {
            throw new IllegalArgumentException("link " + device + " needs a local and a peer address");
        }
    }

    public LinkSpec(String device, String localIp, String peerIp) {
        this(device, localIp, peerIp, null, null);
    }

    /** Parses the --link argument form. */
    public static LinkSpec parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 3) {
            throw new IllegalArgumentException("--link takes DEVICE,LOCAL_IP,PEER_IP[,nic=PCI][,gpu=PCI], got '" + text + "'");
        }
        String nic = null;
        String gpu = null;
        for (int i = 3; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("nic=")) {
                nic = part.substring(4);
            } else if (part.startsWith("gpu=")) {
                gpu = part.substring(4);
            } else {
                throw new IllegalArgumentException("unknown link attribute '" + part + "' in --link " + text
                        + " (known: nic=PCI, gpu=PCI)");
            }
        }
        return new LinkSpec(parts[0], parts[1], parts[2], nic, gpu);
    }

    /** The --link argument that parses back to this link. */
    public String toArgument() {
        List<String> parts = new ArrayList<>(List.of(device, localIp, peerIp));
        if (nicPci != null) {
            parts.add("nic=" + nicPci);
        }
        if (gpuPci != null) {
            parts.add("gpu=" + gpuPci);
        }
        return String.join(",", parts);
    }
}
