package dev.neper.fleet.runner.contract;

import java.util.List;

/**
 * A runner process's result in compact form, written as its Kubernetes termination message. The
 * kubelet keeps at most {@link #MAX_BYTES} bytes of it, so writers shorten error texts to fit and set
 * {@code truncated}. {@code error} is set when the process failed as a whole (a refused command
 * line), before any link ran.
 */
public record NodeSummary(int schemaVersion, String role, boolean succeeded, List<LinkSummary> links, String error,
                          boolean truncated) {
    public static final int SCHEMA_VERSION = 1;
    /** The kubelet's limit on a container's termination message. */
    public static final int MAX_BYTES = 4096;

    public NodeSummary {
        links = List.copyOf(links);
    }
}
