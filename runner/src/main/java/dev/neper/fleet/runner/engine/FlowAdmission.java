package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.log.RunLog;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which data connections a server takes as flows: those its control sessions announced, from each
 * session's peer address, up to the flows that session's CLI_HELLO announced. Anything else on a
 * data port (a port scan, a load balancer's health check, a stale client of an earlier run, garbage)
 * is a stray: refused at once and counted, never a flow, so it neither fails the link nor adds to its
 * bytes. neper's protocol carries no flow identity, so connections from the announcing peer's address
 * cannot be told apart: the first ones up to the announced count are taken. Shared by a server's
 * worker threads.
 */
final class FlowAdmission {
    /** Strays logged one by one; past this only counted, so a scanner cannot flood the log. */
    static final int LOGGED_STRAYS = 10;

    private final Map<InetAddress, Integer> remaining = new HashMap<>();
    private int refused;

    /** A control session from {@code peer} announced {@code flows} data connections. */
    synchronized void announce(InetAddress peer, int flows) {
        remaining.merge(peer, Math.max(0, flows), Integer::sum);
    }

    /** Whether a new data connection from {@code peer} is an announced flow; a stray is counted. */
    synchronized boolean admit(InetAddress peer, String describe) {
        int left = remaining.getOrDefault(peer, 0);
        if (left > 0) {
            remaining.put(peer, left - 1);
            return true;
        }
        refused++;
        if (refused <= LOGGED_STRAYS) {
            RunLog.warn("refused a stray data connection " + describe + ": "
                    + (remaining.containsKey(peer) ? "its peer's control session announced fewer flows"
                    : "no control session from " + peer.getHostAddress() + " announced it")
                    + (refused == LOGGED_STRAYS ? " (further strays are counted, not logged)" : ""));
        }
        return false;
    }

    /** Data connections refused so far. */
    synchronized int refused() {
        return refused;
    }
}
