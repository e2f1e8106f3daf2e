package dev.neper.fleet.operator.fleet.wave;

/**
 * One link of a planned pair: the same device (rail) on both nodes.
 *
 * @param device        the rail's device name on both nodes
 * @param serverAddress the server node's address on it: the client connects there
 * @param clientAddress the client node's address on it: the client binds its flows there
 */
public record PlannedLink(String device, String serverAddress, String clientAddress) {
}
