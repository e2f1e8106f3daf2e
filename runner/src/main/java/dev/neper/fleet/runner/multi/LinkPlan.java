package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkPlacement;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import dev.neper.fleet.runner.contract.LinkSpec;
import dev.neper.fleet.runner.contract.MemoryMode;
import dev.neper.fleet.runner.contract.Options;
import dev.neper.fleet.runner.topology.PciTopology;
import dev.neper.fleet.runner.topology.Placements;
import dev.neper.fleet.runner.topology.SysfsTree;

import java.util.ArrayList;
import java.util.List;

/**
 * A links command with its placement: each link's NIC, GPU and CPUs chosen from the node's topology
 * ({@link Placements}), and the command as it runs, each link carrying the NIC (devmem modes) and GPU
 * (cuda) chosen for it, so its engine gets them as --tcpd-nic-pci-addr and --tcpd-gpu-pci-addr.
 */
record LinkPlan(LinkSetCommand command, List<LinkPlacement> placements) {
    static LinkPlan of(LinkSetCommand given, SysfsTree sysfs) {
        Options o = given.options();
        PciTopology pci = PciTopology.read(sysfs);
        List<Placements.Request> requests = given.links().stream()
                .map(l -> new Placements.Request(l.device(), l.nicPci(), l.gpuPci(), l.cpus())).toList();
        List<LinkPlacement> placements = Placements.plan(requests, pci,
                Placements.settings(pci, o.mode() == MemoryMode.CUDA, o.numThreads(), o.pinCpu()));
        List<LinkSpec> links = new ArrayList<>();
        for (int i = 0; i < given.links().size(); i++) {
            LinkSpec link = given.links().get(i);
            LinkPlacement placement = placements.get(i);
            links.add(link.withDevices(o.mode().isDevmem() ? placement.nic() : link.nicPci(),
                    o.mode() == MemoryMode.CUDA ? placement.gpu() : link.gpuPci()));
        }
        return new LinkPlan(new LinkSetCommand(links, o, given.terminationSummary()), placements);
    }
}
