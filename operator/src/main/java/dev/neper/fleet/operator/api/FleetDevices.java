package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * Which devices a fleet run tests; each device name is a rail, tested only against the same name on
 * another node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.names) != has(self.pattern)",
        message = "select devices either by names or by a pattern")
@ValidationRule(value = "!has(self.names) || self.names.all(n, size(n) <= 15 && n.matches('" + Link.DEVICE_PATTERN + "'))",
        message = "a device name has 1 to 15 characters (IFNAMSIZ), letters, digits and _.@- (eth1)")
@ValidationRule(value = "!has(self.names) || self.names.all(n, self.names.exists_one(m, m == n))",
        message = "a device is named at most once")
public record FleetDevices(
        @Size(min = 1, max = Pair.MAX_LINKS)
        @JsonPropertyDescription("The devices by name (eth1, eth2, ...): every selected node must have each of them.")
        List<String> names,

        @Size(min = 1, max = 256)
        @JsonPropertyDescription("A regular expression (Java syntax) that whole device names must match (eth[1-8]): the"
                + " rails are the names it matches on any node, and every node must have each of them.")
        String pattern) {

    public List<String> nameList() {
        return names == null ? List.of() : names;
    }
}
