package dev.neper.fleet.runner.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One link of a multi-link run: the NIC's interface name, this node's address on it, the peer's
 * address on it, and optionally the NIC's and the GPU's PCI addresses and the CPUs its threads run
 * on (else discovered: see {@code neper-runner links --dry-run}). On the command line:
 * {@code --link eth1,192.168.1.26,192.168.1.23[,nic=0000:06:00.0][,gpu=0000:04:00.0][,cpus=2-3,54]};
 * a CPU list's own commas continue it.
 */
public record LinkSpec(String device, String localIp, String peerIp, String nicPci, String gpuPci, String cpus) {
    private static final Pattern CPU_ITEM = Pattern.compile("\\d+(-\\d+)?");
    /** Linux interface names fit IFNAMSIZ (16) with their terminating NUL. */
    public static final int MAX_DEVICE_NAME = 15;

    public LinkSpec {
        if (device == null || device.isBlank() || device.contains(",")) {
            throw new IllegalArgumentException("a link needs an interface name without commas, got '" + device + "'");
        }
        if (device.length() > MAX_DEVICE_NAME || device.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("'" + device + "' is not an interface name: at most " + MAX_DEVICE_NAME
                    + " characters (IFNAMSIZ - 1), without '/', ':' or spaces");
        }
        if (localIp == null || localIp.isBlank() || peerIp == null || peerIp.isBlank()) {
            throw new IllegalArgumentException("link " + device + " needs a local and a peer address");
        }
        if (cpus != null && !List.of(cpus.split(",", -1)).stream().allMatch(i -> CPU_ITEM.matcher(i).matches())) {
            throw new IllegalArgumentException("link " + device + ": cpus= takes a CPU list like 2-3,54, not '" + cpus + "'");
        }
    }

    public LinkSpec(String device, String localIp, String peerIp, String nicPci, String gpuPci) {
        this(device, localIp, peerIp, nicPci, gpuPci, null);
    }

    public LinkSpec(String device, String localIp, String peerIp) {
        this(device, localIp, peerIp, null, null, null);
    }

    /** The same link with its NIC and GPU as chosen (either may stay null). */
    public LinkSpec withDevices(String nic, String gpu) {
        return new LinkSpec(device, localIp, peerIp, nic, gpu, cpus);
    }

    /** Parses the --link argument form. */
    public static LinkSpec parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 3) {
            throw new IllegalArgumentException("--link takes DEVICE,LOCAL_IP,PEER_IP[,nic=PCI][,gpu=PCI][,cpus=LIST],"
                    + " got '" + text + "'");
        }
        String nic = null;
        String gpu = null;
        String cpus = null;
        String last = null;
        for (int i = 3; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("nic=")) {
                nic = part.substring(4);
            } else if (part.startsWith("gpu=")) {
                gpu = part.substring(4);
            } else if (part.startsWith("cpus=")) {
                cpus = part.substring(5);
            } else if ("cpus".equals(last) && CPU_ITEM.matcher(part).matches()) {
                cpus += "," + part;
                continue;
            } else {
                throw new IllegalArgumentException("unknown link attribute '" + part + "' in --link " + text
                        + " (known: nic=PCI, gpu=PCI, cpus=LIST)");
            }
            last = part.substring(0, part.indexOf('='));
        }
        return new LinkSpec(parts[0], parts[1], parts[2], nic, gpu, cpus);
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
        if (cpus != null) {
            parts.add("cpus=" + cpus);
        }
        return String.join(",", parts);
    }
}
