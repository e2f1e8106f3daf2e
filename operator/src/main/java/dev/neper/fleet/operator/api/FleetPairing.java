package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.Locale;

/** How round 1 pairs the nodes, and where the racks come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.strategy) || self.strategy != 'rack' || has(self.topologyKey)",
        message = "the rack strategy needs topologyKey: the node label that names a node's rack or block")
public record FleetPairing(
        @Default("random")
        @JsonPropertyDescription("random (a random perfect matching from the seed), ring (one timestep of shifted rings"
                + " over the nodes in name order, as IBM Autopilot's) or rack (pairs across or within racks, from"
                + " topologyKey).")
        Strategy strategy,

        @JsonPropertyDescription("The seed of every random choice of the run (round 1's matching, good partners). When"
                + " absent the operator draws one and records it in status.seed, so a run can be replayed.")
        Long seed,

        @Default("0") @Min(0)
        @JsonPropertyDescription("The ring strategy's timestep; timesteps 0 to n-2 pair every node with every other once:"
                + " give the next run this value plus one to test new pairs.")
        Long ringTimestep,

        @Default("across")
        @JsonPropertyDescription("The rack strategy's mode: across (every pair spans two racks) or within (pairs inside"
                + " racks).")
        RackMode rackMode,

        @Size(min = 1, max = 317)
        @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
        @JsonPropertyDescription("The node label whose value is a node's rack (topology.gke.io/rack,"
                + " cloud.google.com/gce-topology-block): good partners are taken from other racks, a rail fault is"
                + " located in a rack, and the rack strategy pairs by it. Absent: nodes have no rack.")
        String topologyKey) {

    public static final FleetPairing DEFAULT = new FleetPairing(null, null, null, null, null);

    public Strategy strategyOrDefault() {
        return strategy == null ? Strategy.RANDOM : strategy;
    }

    public long ringTimestepOrDefault() {
        return ringTimestep == null ? 0 : ringTimestep;
    }

    public RackMode rackModeOrDefault() {
        return rackMode == null ? RackMode.ACROSS : rackMode;
    }

    public enum Strategy {
        RANDOM, RING, RACK;

        @JsonValue
        public String argument() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum RackMode {
        ACROSS, WITHIN;

        @JsonValue
        public String argument() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
