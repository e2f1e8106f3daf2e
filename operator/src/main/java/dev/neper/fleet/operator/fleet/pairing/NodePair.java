package dev.neper.fleet.operator.fleet.pairing;

/** Two nodes by name: the server receives, the client sends. */
public record NodePair(String server, String client) {
}
