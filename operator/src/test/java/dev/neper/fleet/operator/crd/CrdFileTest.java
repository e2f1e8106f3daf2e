package dev.neper.fleet.operator.crd;

import dev.neper.fleet.operator.testing.Generated;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

/** crds/ holds exactly the CRD the build generates from the Java model. */
class CrdFileTest {
    @Test
    void checkedInCrdIsTheGeneratedOne() throws Exception {
        Generated.assertUpToDate(Generated.CRD, Files.readString(Generated.GENERATED_CRD));
    }
}
