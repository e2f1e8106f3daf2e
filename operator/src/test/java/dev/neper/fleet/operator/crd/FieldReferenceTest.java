package dev.neper.fleet.operator.crd;

import dev.neper.fleet.operator.testing.Generated;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** docs/nepertest.md is the field reference generated from the CRD, so it documents every field as shipped. */
@Tag("unit")
class FieldReferenceTest {
    @Test
    void referenceMatchesTheCrd() throws Exception {
        Generated.assertUpToDate(Generated.REPO.resolve("docs/nepertest.md"), FieldReference.render(Generated.CRD));
    }
}
