package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** Two nodes and the links between them: the server node receives, the client node sends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.server.node != self.client.node",
        message = "a pair's server and client must be different nodes")
@ValidationRule(value = "self.links.all(l, self.links.exists_one(m, m.device == l.device))",
        message = "a device appears at most once in a pair")
@ValidationRule(value = "self.links.all(l, self.links.exists_one(m, m.serverIP == l.serverIP))",
        message = "a server IP appears at most once in a pair")
@ValidationRule(value = "self.links.all(l, self.links.exists_one(m, m.clientIP == l.clientIP))",
        message = "a client IP appears at most once in a pair")
public record Pair(
        @Required
        @JsonPropertyDescription("The receiving node: runs the runner server, which listens on every link.")
        Endpoint server,

        @Required
        @JsonPropertyDescription("The sending node: runs the runner client, which connects over every link.")
        Endpoint client,

        @Required
        @Size(min = 1, max = MAX_LINKS)
        @JsonPropertyDescription("The links between the two nodes, tested at once, one stream engine per link. Link i"
                + " uses control port ports.control+i.")
        List<Link> links) {

    /** A3 Mega nodes have 8 data NICs; 16 leaves room without letting a typo make hundreds of engines. */
    public static final int MAX_LINKS = 16;

    public List<Link> linkList() {
        return links == null ? List.of() : links;
    }
}
