package dev.neper.fleet.runner.engine;

import java.util.List;

/**
 * Which CPUs worker thread i may run on: with -U the i-th allowed CPU (round robin), with -N the
 * allowed CPUs of NUMA node i mod the node count, as neper places them (-U wins when both are given);
 * otherwise anywhere.
 */
final class CpuPlacement {
    private CpuPlacement() {
    }

    static List<Integer> forThread(int thread, boolean pinCpu, boolean pinNuma, List<Integer> allowed,
                                   List<List<Integer>> cpusByNode) {
        if (pinCpu && !allowed.isEmpty()) {
            return List.of(allowed.get(thread % allowed.size()));
        }
        if (pinNuma && !cpusByNode.isEmpty()) {
            int node = thread % cpusByNode.size();
            List<Integer> cpus = cpusByNode.get(node).stream().filter(allowed::contains).toList();
            if (cpus.isEmpty()) {
                throw new IllegalStateException("-N puts thread " + thread + " on NUMA node " + node
                        + ", but none of that node's CPUs is allowed to this process");
            }
            return cpus;
        }
        return List.of();
    }
}
