package dev.neper.fleet.operator.plan;

import dev.neper.fleet.operator.exclusion.NodeLeases;

import java.util.List;
import java.util.Optional;

/**
 * The validate step's answer for a test about to start: the spec's problems (then nothing is asked of
 * the node leases), or the test it must wait for, or neither (the test holds its nodes now).
 */
public record Admission(List<String> problems, Optional<NodeLeases.Blocker> blocker) {
    /** For a test that is not about to start. */
    public static final Admission NOT_ASKED = new Admission(List.of(), Optional.empty());

    public static Admission refused(List<String> problems) {
        return new Admission(List.copyOf(problems), Optional.empty());
    }

    public static Admission of(Optional<NodeLeases.Blocker> blocker) {
        return new Admission(List.of(), blocker);
    }
}
