package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One side of a pair. */
public record Endpoint(
        @Required
        @Size(min = 1, max = 253)
        @Pattern(NODE_NAME_PATTERN)
        @JsonPropertyDescription("Name of the Node object (kubectl get nodes) the runner pod is pinned to.")
        String node) {

    /** A DNS subdomain, as Kubernetes requires of node names. */
    public static final String NODE_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
}
