package dev.neper.fleet.runner.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The machine's NUMA nodes and their CPUs, from sysfs (/sys/devices/system/node/nodeN/cpulist). */
public final class NumaNodes {
    private static final Path NODES = Path.of("/sys/devices/system/node");

    private NumaNodes() {
    }

    /** Each node's CPUs, in node order; a machine without NUMA information is one node of the given CPUs. */
    public static List<List<Integer>> cpusByNode(List<Integer> fallback) {
        return cpusByNode(NODES, fallback);
    }

    static List<List<Integer>> cpusByNode(Path nodes, List<Integer> fallback) {
        List<List<Integer>> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(nodes)) {
            List<Integer> ids = entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("node[0-9]+"))
                    .map(n -> Integer.parseInt(n.substring(4))).sorted().toList();
            for (int id : ids) {
                result.add(parseList(Files.readAllLines(nodes.resolve("node" + id).resolve("cpulist")).getFirst()));
            }
        } catch (IOException | RuntimeException e) {
            return List.of(fallback);
        }
        return result.isEmpty() ? List.of(fallback) : result;
    }

    /** A kernel CPU list ("0-3,8,10-11"), as sysfs writes it. */
    public static List<Integer> parseList(String text) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : text.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1));
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }
}
