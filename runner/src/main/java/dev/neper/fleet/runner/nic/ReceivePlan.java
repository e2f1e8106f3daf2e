package dev.neper.fleet.runner.nic;

import dev.neper.fleet.runner.ethtool.FlowRule;

import java.util.List;

/**
 * What devmem RX needs from a NIC: the queues [queueStart, queueStart + queueCount) kept for devmem
 * (RSS spreads other traffic over the queues below queueStart), and one rule per flow steering its
 * tuple to its queue.
 */
public record ReceivePlan(int queueStart, int queueCount, List<FlowRule> rules) {
    public ReceivePlan {
        rules = List.copyOf(rules);
        if (queueStart < 1) {
            throw new IllegalArgumentException("queue_start must be at least 1: RSS needs a queue below the devmem queues");
        }
        if (queueCount < 1) {
            throw new IllegalArgumentException("queue_num must be at least 1");
        }
    }

    public List<Integer> queues() {
        return java.util.stream.IntStream.range(queueStart, queueStart + queueCount).boxed().toList();
    }
}
