package dev.neper.fleet.runner.netdev;

/** One queue as queue-get reports it; {@code dmabufBinding} is the id bound to it, or null. */
public record QueueInfo(int ifindex, int id, QueueType type, Integer napiId, Integer dmabufBinding) {
}
