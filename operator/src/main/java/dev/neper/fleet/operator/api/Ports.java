package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Ports on the server node (its pod uses the host network). A node with n links uses control ports
 * control..control+n-1 and data ports data..data+n*dataPortsPerLink-1; the two ranges must not overlap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ports(
        @Default("12866") @Min(MIN_PORT) @Max(65535)
        @JsonPropertyDescription("First control port; link i listens on control+i. neper's --control-port (default 12866).")
        Integer control,

        @Min(MIN_PORT) @Max(65535)
        @JsonPropertyDescription("First data port; link i uses data+i*dataPortsPerLink onwards. neper's --port. When absent,"
                + " the port right after the node's control ports (control+number of links).")
        Integer data,

        @Default("1") @Min(1) @Max(64)
        @JsonPropertyDescription("Data ports each link's server listens on. neper's --num-ports.")
        Integer dataPortsPerLink) {

    public static final int DEFAULT_CONTROL = 12866;
    /** Ports below this are for privileged services; the runners stay clear of them. */
    public static final int MIN_PORT = 1024;
    public static final Ports DEFAULT = new Ports(null, null, null);

    public int firstControl() {
        return control == null ? DEFAULT_CONTROL : control;
    }

    public int firstData(int linkCount) {
        return data == null ? firstControl() + linkCount : data;
    }

    public int perLink() {
        return dataPortsPerLink == null ? 1 : dataPortsPerLink;
    }
}
