package dev.neper.fleet.operator.crd;

import dev.neper.fleet.operator.testing.Generated;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

/** crds/ holds exactly the CRDs the build generates from the Java model. */
class CrdFileTest {
    @Test
    void checkedInCrdIsTheGeneratedOne() throws Exception {
        Generated.assertUpToDate(Generated.CRD, Files.readString(Generated.GENERATED_CRD));
    }

    @Test
    void checkedInFleetCrdIsTheGeneratedOne() throws Exception {
        Generated.assertUpToDate(Generated.FLEET_CRD, Files.readString(Generated.GENERATED_FLEET_CRD));
    }
}
