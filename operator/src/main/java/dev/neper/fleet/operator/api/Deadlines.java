package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Time limits; both are Go-style durations in whole seconds (90s, 5m, 1h30m). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.start) || (duration(self.start) >= duration('1s')"
        + " && duration(self.start) <= duration('24h'))",
        message = "deadlines.start must be between 1s and 24h")
@ValidationRule(value = "!has(self.finish) || (duration(self.finish) >= duration('1s')"
        + " && duration(self.finish) <= duration('26h'))",
        message = "deadlines.finish must be between 1s and 26h")
public record Deadlines(
        @Default(DEFAULT_START)
        @Pattern(NeperTestSpec.DURATION_PATTERN)
        @JsonPropertyDescription("How long a runner pod may take from its creation to running (scheduling, admission,"
                + " image pull) and, for a server, to listening on every link. A pair whose pod misses it fails.")
        String start,

        @Pattern(NeperTestSpec.DURATION_PATTERN)
        @JsonPropertyDescription("How long the whole test may take from its start (its first pod) to its end; pairs still"
                + " running then fail and their pods are stopped. When absent: twice the start deadline plus the"
                + " duration plus 2m.")
        String finish) {

    public static final String DEFAULT_START = "5m";
    public static final Deadlines DEFAULT = new Deadlines(null, null);

    public String startText() {
        return start == null ? DEFAULT_START : start;
    }
}
