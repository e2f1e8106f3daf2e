package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Where a running fleet run is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetProgress(
        @JsonPropertyDescription("The round running: 1 (the matching), 2 (suspects with good partners), 3 (retests and"
                + " votes).")
        Integer round,

        @JsonPropertyDescription("The wave running within its round, from 1.")
        Integer wave,

        @JsonPropertyDescription("Pairs in the wave running.")
        Integer pairs,

        @JsonPropertyDescription("The wave's child NeperTests (kubectl get nepertest NAME).")
        List<String> tests,

        @JsonPropertyDescription("Waves that ended, over all rounds.")
        Integer wavesDone,

        @JsonPropertyDescription("Pairs tested in the waves that ended.")
        Integer pairTests) {
}
