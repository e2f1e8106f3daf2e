package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One NIC-to-NIC link of a pair: the same interface name on both nodes, one address on each. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.serverIP != self.clientIP", message = "a link's server and client IPs must differ")
public record Link(
        @Required
        @Size(min = 1, max = 15)
        @Pattern(DEVICE_PATTERN)
        @JsonPropertyDescription("Network interface name on both nodes (eth1); at most 15 characters (IFNAMSIZ).")
        String device,

        @Required
        @JsonProperty("serverIP")
        @Size(max = 45)
        @Pattern(IP_PATTERN)
        @JsonPropertyDescription("The server node's address on this link (IPv4 or IPv6 literal): the client connects to it.")
        String serverIP,

        @Required
        @JsonProperty("clientIP")
        @Size(max = 45)
        @Pattern(IP_PATTERN)
        @JsonPropertyDescription("The client node's address on this link (IPv4 or IPv6 literal): the client binds its"
                + " flows to it, so traffic leaves through this NIC.")
        String clientIP,

        @JsonPropertyDescription("PCI addresses on the server node; udmabuf and cuda modes only. When absent the runner"
                + " discovers them from the device.")
        PciAddresses server,

        @JsonPropertyDescription("PCI addresses on the client node; udmabuf and cuda modes only. When absent the runner"
                + " discovers them from the device.")
        PciAddresses client) {

    /** Linux interface names: no '/', ':' or whitespace; no ',' either, which separates --link fields. */
    public static final String DEVICE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.@-]*$";
    /**
     * A dotted-quad IPv4 address, or the shape of an IPv6 address (3 to 8 groups of hex digits). The
     * operator parses every address before use, so IPv6 shapes the pattern lets through but that are
     * not addresses (two "::") end the test as InvalidSpec.
     */
    public static final String IP_PATTERN = "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
            + "|[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7})$";
}
