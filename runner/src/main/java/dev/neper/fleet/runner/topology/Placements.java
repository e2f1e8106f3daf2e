package dev.neper.fleet.runner.topology;

import dev.neper.fleet.runner.contract.LinkPlacement;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.sys.SysCallException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses each link's NIC, GPU and CPUs from the PCI topology, as multi_neper.py's hand-written tables
 * and taskset ranges did: a link's NIC is its device's PCI device; its GPU the nearest one (under the
 * deepest PCIe bridge it shares with the NIC, else on its NUMA node), distinct links getting distinct
 * GPUs where possible; its CPUs a block of the CPUs local to its NIC, disjoint from the other links'.
 * What a link gives (nic=, gpu=, cpus=) always wins and is kept from the others. Pure: the same
 * topology and links give the same map.
 */
public final class Placements {
    /** A link as asked for: its device and whatever it gives explicitly (null: choose). */
    public record Request(String device, String nic, String gpu, String cpus) {
    }

    /**
     * @param usesGpu     whether the run allocates GPU memory (--mode cuda)
     * @param threads     threads per link: the size of each link's CPU block
     * @param pinEach     -U: each thread pinned to one CPU of its link's block (so a link without local
     *                    CPUs gets a block of the allowed ones too)
     * @param allowedCpus the CPUs this process may use (for a copied sysfs tree: the CPUs it describes)
     */
    public record Settings(boolean usesGpu, int threads, boolean pinEach, List<Integer> allowedCpus) {
    }

    private Placements() {
    }

    /**
     * The settings for a run on this node: its CPUs are the ones this process may use when the sysfs
     * tree is the live one; a copy describes another machine, whose online CPUs (or, failing that,
     * every CPU its devices name) are the ones to place on.
     */
    public static Settings settings(PciTopology pci, boolean usesGpu, int threads, boolean pinEach) {
        List<Integer> cpus;
        if (pci.sysfs().isLive()) {
            try {
                cpus = CpuSet.allowed();
            } catch (SysCallException e) {
                cpus = pci.onlineCpus();
            }
        } else {
            cpus = pci.onlineCpus();
        }
        return new Settings(usesGpu, threads, pinEach, cpus);
    }

    public static List<LinkPlacement> plan(List<Request> links, PciTopology pci, Settings settings) {
        List<Optional<PciDevice>> nics = links.stream().map(l -> l.nic() != null ? pci.device(l.nic())
                : pci.nicOf(l.device())).toList();
        List<String[]> nicChoice = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            nicChoice.add(nic(links.get(i), nics.get(i), pci));
        }
        List<String[]> gpuChoice = settings.usesGpu() ? gpus(links, nics, pci)
                : links.stream().map(l -> new String[] {null, "this mode uses no GPU"}).toList();
        List<String[]> cpuChoice = cpus(links, nics, settings);
        List<LinkPlacement> placements = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            placements.add(new LinkPlacement(links.get(i).device(), nicChoice.get(i)[0], nicChoice.get(i)[1],
                    gpuChoice.get(i)[0], gpuChoice.get(i)[1], cpuChoice.get(i)[0], cpuChoice.get(i)[1]));
        }
        return placements;
    }

    private static String[] nic(Request link, Optional<PciDevice> nic, PciTopology pci) {
        if (link.nic() != null) {
            String sysfs = pci.nicOf(link.device()).map(PciDevice::address).orElse(null);
            return new String[] {link.nic(), "given (nic=)" + (sysfs != null && !sysfs.equalsIgnoreCase(link.nic())
                    ? "; sysfs puts " + link.device() + " at " + sysfs : "")};
        }
        return nic.map(d -> new String[] {d.address(), link.device() + "'s PCI device in sysfs"})
                .orElse(new String[] {null, link.device() + " has no PCI device in sysfs (a virtual device)"});
    }

    /**
     * GPUs: given ones first; then the nearest ones matched so that as many links as possible get one
     * of their own nearest GPUs (augmenting paths, links in order); then, for a link whose nearest GPUs
     * all went to others, the nearest free one; a GPU is shared only when none is left.
     */
    private static List<String[]> gpus(List<Request> links, List<Optional<PciDevice>> nics, PciTopology pci) {
        List<PciDevice> all = pci.gpus();
        String[][] choice = new String[links.size()][];
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < links.size(); i++) {
            if (links.get(i).gpu() != null) {
                choice[i] = new String[] {links.get(i).gpu(), "given (gpu=)"};
                taken.add(links.get(i).gpu().toLowerCase());
            }
        }
        if (all.isEmpty()) {
            for (int i = 0; i < links.size(); i++) {
                if (choice[i] == null) {
                    choice[i] = new String[] {null, "no NVIDIA GPU in sysfs: the run uses CUDA's first visible GPU"};
                }
            }
            return List.of(choice);
        }
        List<PciTopology.Nearest> nearest = nics.stream()
                .map(n -> n.map(pci::nearestGpus).orElse(PciTopology.Nearest.NONE)).toList();
        Map<String, Integer> matchedTo = new LinkedHashMap<>();
        for (int i = 0; i < links.size(); i++) {
            if (choice[i] == null) {
                augment(i, nearest, taken, matchedTo, new HashSet<>());
            }
        }
        Map<Integer, String> gpuOf = new LinkedHashMap<>();
        matchedTo.forEach((gpu, link) -> gpuOf.put(link, gpu));
        Map<String, String> holder = new LinkedHashMap<>();
        for (int i = 0; i < links.size(); i++) {
            if (gpuOf.containsKey(i)) {
                choice[i] = new String[] {gpuOf.get(i), "nearest (" + why(nearest.get(i).match()) + ")"};
                holder.put(gpuOf.get(i), links.get(i).device());
            }
        }
        for (int i = 0; i < links.size(); i++) {
            if (choice[i] != null) {
                continue;
            }
            List<PciDevice> ranked = nics.get(i).map(pci::gpusByDistance).orElse(all);
            Optional<PciDevice> free = ranked.stream().filter(g -> !taken.contains(g.address())
                    && !holder.containsKey(g.address())).findFirst();
            if (free.isPresent()) {
                String gpu = free.get().address();
                String why = nics.get(i).isEmpty() ? "no PCI device for " + links.get(i).device()
                        + ": the first free GPU" : nearest.get(i).gpus().isEmpty() ? "no GPU shares a PCIe bridge or"
                        + " NUMA node with the NIC: the first free GPU" : "nearest free: " + String.join(", ",
                        nearest.get(i).gpus().stream().map(g -> g.address() + " went to " + owner(g.address(), holder,
                                links, choice)).toList());
                choice[i] = new String[] {gpu, why};
                holder.put(gpu, links.get(i).device());
            } else {
                String gpu = ranked.getFirst().address();
                choice[i] = new String[] {gpu, "shared with " + owner(gpu, holder, links, choice)
                        + ": more links than GPUs"};
            }
        }
        return List.of(choice);
    }

    private static String why(String match) {
        return match.startsWith("pcie-bridge ") ? "shares PCIe bridge " + match.substring(12) + " with the NIC"
                : "on the NIC's NUMA node " + match.substring(5);
    }

    private static String owner(String gpu, Map<String, String> holder, List<Request> links, String[][] choice) {
        if (holder.containsKey(gpu)) {
            return holder.get(gpu);
        }
        for (int i = 0; i < links.size(); i++) {
            if (choice[i] != null && gpu.equalsIgnoreCase(choice[i][0])) {
                return links.get(i).device();
            }
        }
        return "another link";
    }

    /**
     * Kuhn's augmenting path: gives link i one of its nearest GPUs, a free one if it can, else moving an
     * earlier link to another of its own nearest GPUs.
     */
    private static boolean augment(int link, List<PciTopology.Nearest> nearest, Set<String> taken,
                                   Map<String, Integer> matchedTo, Set<String> visited) {
        for (PciDevice gpu : nearest.get(link).gpus()) {
            if (!taken.contains(gpu.address()) && !matchedTo.containsKey(gpu.address())) {
                matchedTo.put(gpu.address(), link);
                return true;
            }
        }
        for (PciDevice gpu : nearest.get(link).gpus()) {
            String address = gpu.address();
            if (taken.contains(address) || !visited.add(address)) {
                continue;
            }
            if (augment(matchedTo.get(address), nearest, taken, matchedTo, visited)) {
                matchedTo.put(address, link);
                return true;
            }
        }
        return false;
    }

    /**
     * CPUs: given ones win and are kept from the others; the links whose NICs share local CPUs (a NUMA
     * node) split them into disjoint blocks of {@code threads}, in link order, smaller when there are not
     * enough, shared only when there are more links than CPUs. A link without local CPUs (a virtual
     * device, or local CPUs this process may not use) runs anywhere, unless -U asks for pinning: then it
     * gets a block of the allowed CPUs.
     */
    private static List<String[]> cpus(List<Request> links, List<Optional<PciDevice>> nics, Settings settings) {
        String[][] choice = new String[links.size()][];
        Set<Integer> reserved = new HashSet<>();
        for (int i = 0; i < links.size(); i++) {
            if (links.get(i).cpus() != null) {
                List<Integer> given = CpuSet.parse(links.get(i).cpus());
                choice[i] = new String[] {CpuSet.format(given), "given (cpus=)"};
                reserved.addAll(given);
            }
        }
        Map<List<Integer>, List<Integer>> pools = new LinkedHashMap<>();
        Map<Integer, String> poolWhy = new LinkedHashMap<>();
        for (int i = 0; i < links.size(); i++) {
            if (choice[i] != null) {
                continue;
            }
            Optional<PciDevice> nic = nics.get(i);
            List<Integer> local = nic.map(PciDevice::localCpus).orElse(List.of()).stream()
                    .filter(settings.allowedCpus()::contains).toList();
            if (!local.isEmpty()) {
                pools.computeIfAbsent(local, k -> new ArrayList<>()).add(i);
                poolWhy.put(i, "local to the NIC" + (nic.get().numaNode() != null ? " on NUMA node "
                        + nic.get().numaNode() : ""));
                continue;
            }
            String notLocal = nic.isEmpty() ? "no NUMA-local CPUs (no PCI device)"
                    : nic.get().localCpus().isEmpty() ? "sysfs gives the NIC no local CPUs"
                    : "the NIC's local CPUs " + CpuSet.format(nic.get().localCpus()) + " are not allowed here";
            if (settings.pinEach()) {
                pools.computeIfAbsent(settings.allowedCpus(), k -> new ArrayList<>()).add(i);
                poolWhy.put(i, "-U: a block of the allowed CPUs (" + notLocal + ")");
            } else {
                choice[i] = new String[] {null, notLocal + ": threads run on any allowed CPU"};
            }
        }
        pools.forEach((pool, members) -> {
            List<Integer> free = pool.stream().filter(c -> !reserved.contains(c)).toList();
            if (free.isEmpty()) {
                free = pool;
            }
            int n = free.size();
            int per = Math.min(settings.threads(), Math.max(1, n / members.size()));
            boolean shared = (long) per * members.size() > n;
            for (int j = 0; j < members.size(); j++) {
                List<Integer> block = new ArrayList<>();
                for (int k = 0; k < per; k++) {
                    block.add(free.get((j * per + k) % n));
                }
                int link = members.get(j);
                String why = poolWhy.get(link) + (per < settings.threads() ? "; " + per + " CPU(s) for "
                        + settings.threads() + " threads: " + members.size() + " links share " + n : "")
                        + (shared ? "; shared with other links: more links than CPUs" : "");
                choice[link] = new String[] {CpuSet.format(block.stream().sorted().toList()), why};
            }
        });
        return List.of(choice);
    }
}
