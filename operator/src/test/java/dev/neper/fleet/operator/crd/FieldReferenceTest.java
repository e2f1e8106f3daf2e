package dev.neper.fleet.operator.crd;

import dev.neper.fleet.operator.testing.Generated;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * docs/nepertest.md and docs/neperfleettest.md are the field references generated from the CRDs, so they
 * document every field as shipped.
 */
@Tag("unit")
class FieldReferenceTest {
    @Test
    void referenceMatchesTheCrd() throws Exception {
        Generated.assertUpToDate(Generated.REPO.resolve("docs/nepertest.md"), FieldReference.render(Generated.CRD));
    }

    @Test
    void fleetReferenceMatchesTheCrd() throws Exception {
        Generated.assertUpToDate(Generated.REPO.resolve("docs/neperfleettest.md"), FieldReference.render(
                Generated.FLEET_CRD, "How a run flows, each verdict and how to read the evidence: [fleet.md](fleet.md).",
                Map.of("spec.template", "Its fields are a NeperTest's spec's (mode, duration, flows, threads, bufferSize,"
                        + " validate, rxCopy, physLen, queueStart, queueNum, ports, runner, pods, deadlines), with the"
                        + " same defaults, limits and rules: [nepertest.md](nepertest.md#spec).")));
    }
}
