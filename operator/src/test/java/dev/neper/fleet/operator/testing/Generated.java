package dev.neper.fleet.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files checked in that are generated from the code (the CRD, the field reference): a test fails
 * when the checked-in copy differs, and {@code -Dneper-fleet.update-generated=true} (bin/update-generated)
 * writes the new copy instead.
 */
public final class Generated {
    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    public static final Path CRD = REPO.resolve("crds/nepertests.neper.dev-v1.yml");
    public static final Path GENERATED_CRD = Path.of("target/kubernetes/nepertests.neper.dev-v1.yml");
    public static final Path FLEET_CRD = REPO.resolve("crds/neperfleettests.neper.dev-v1.yml");
    public static final Path GENERATED_FLEET_CRD = Path.of("target/kubernetes/neperfleettests.neper.dev-v1.yml");

    private Generated() {
    }

    public static void assertUpToDate(Path checkedIn, String generated) throws IOException {
        if (Boolean.getBoolean("neper-fleet.update-generated")) {
            Files.writeString(checkedIn, generated);
            return;
        }
        String current = Files.exists(checkedIn) ? Files.readString(checkedIn) : "";
        assertEquals(generated, current, REPO.relativize(checkedIn) + " is out of date with the code;"
                + " run bin/update-generated and commit the result");
    }
}
