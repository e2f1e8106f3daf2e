package dev.neper.fleet.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What run-local takes as its test file: one NeperTest, of this operator's API version; everything
 * else refused in one line naming what is wrong and what is expected, before anything starts.
 */
@Tag("unit")
class TestFileTest {
    private static final String GOOD = """
            apiVersion: neper.dev/v1alpha1
            kind: NeperTest
            metadata: {name: t}
            spec: {mode: host}
            """;

    private static String refused(String text) {
        return assertThrows(TestFile.Refused.class, () -> TestFile.parse(text, "t.yaml")).getMessage();
    }

    @Test
    void oneNeperTestIsTaken() throws Exception {
        GenericKubernetesResource test = TestFile.parse(GOOD, "t.yaml");
        assertEquals("t", test.getMetadata().getName());
        assertEquals("host", ((Map<?, ?>) test.getAdditionalProperties().get("spec")).get("mode"));
        assertEquals("t", TestFile.parse("---\n" + GOOD + "---\n", "t.yaml").getMetadata().getName(),
                "document markers around one document are still one document");
    }

    @Test
    void whatIsNotOneNeperTestIsRefusedInOneLine() {
        Map<String, String> cases = Map.of(
                "apiVersion: neper.dev/v1alpha1\nkind: NeperTest\nmetadata: {name: x\n  spec: [\n",
                "t.yaml is not valid YAML (line 4, column 7): while parsing a flow mapping; expected ',' or '}'",
                "", "t.yaml is empty: it needs one NeperTest (apiVersion: neper.dev/v1alpha1, kind: NeperTest)",
                "# nothing but a comment\n", "t.yaml is empty",
                GOOD + "---\n" + GOOD, "t.yaml holds 2 YAML documents: it needs exactly one, a NeperTest",
                "- a\n- b\n", "t.yaml holds a YAML list, not a NeperTest",
                "just words\n", "t.yaml holds a YAML value, not a NeperTest",
                GOOD.replace("neper.dev/v1alpha1", "neper.dev/v1"),
                "t.yaml: apiVersion is neper.dev/v1, expected neper.dev/v1alpha1",
                GOOD.replace("kind: NeperTest", "kind: NeperTestX"), "t.yaml: kind is NeperTestX, expected NeperTest",
                GOOD.replace("kind: NeperTest\n", ""), "t.yaml: kind is missing; expected kind: NeperTest",
                GOOD.replace("metadata: {name: t}", "metadata: {}"), "t.yaml: metadata.name is missing");
        cases.forEach((text, expected) -> {
            String message = refused(text);
            assertTrue(message.startsWith(expected), "'" + message + "' should start with '" + expected + "'");
            assertEquals(1, message.lines().count(), message);
        });
    }

    @Test
    void runLocalRefusesABadFileOrArgumentWithOneLineAndExitCode2BeforeStartingAnything() throws Exception {
        Path dir = Files.createTempDirectory("test-files");
        try {
            Files.writeString(dir.resolve("two.yaml"), GOOD + "---\n" + GOOD);
            Files.writeString(dir.resolve("empty.yaml"), "");
            for (List<String> args : List.of(List.of("--test", dir.resolve("two.yaml").toString()),
                    List.of("--test", dir.resolve("empty.yaml").toString()),
                    List.of("--test", dir.resolve("absent.yaml").toString()),
                    List.of("--nodes", "two"), List.of("--bogus", "1"), List.of("--test"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = LocalFleetMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                String said = err.toString(StandardCharsets.UTF_8);
                assertEquals(2, code, args + ": " + said);
                assertEquals(1, said.lines().count(), args + ": " + said);
                assertTrue(said.startsWith("neper-local: "), said);
                assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing started: " + args);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }
}
