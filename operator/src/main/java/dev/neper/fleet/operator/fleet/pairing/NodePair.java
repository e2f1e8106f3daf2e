package dev.neper.fleet.operator.fleet.pairing;

/** Two nodes by name: the server receives, the client sends. */
public record NodePair(String server, String client) {
    public boolean has(String node) {
        return server.equals(node) || client.equals(node);
    }

    public String peerOf(String node) {
        return server.equals(node) ? client : server;
    }
}
