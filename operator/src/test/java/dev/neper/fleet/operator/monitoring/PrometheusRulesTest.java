package dev.neper.fleet.operator.monitoring;

import dev.neper.fleet.operator.testing.Generated;
import dev.neper.fleet.operator.testing.ProgramRuns;
import dev.neper.fleet.runner.testing.TestFiles;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/monitoring's alert rules through Prometheus's own promtool (Debian's prometheus): the rule groups are
 * taken out of the shipped PrometheusRule (its spec is a Prometheus rule file) into a temporary rules.yaml,
 * checked, and unit-tested by alerts-test.yaml, which has a case that fires for every alert.
 */
class PrometheusRulesTest {
    static final Path RULE = Generated.REPO.resolve("deploy/monitoring/prometheus-rule.yaml");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private Path dir;

    @BeforeEach
    void extract() throws Exception {
        dir = Files.createTempDirectory("neper-rules-");
        Files.writeString(dir.resolve("rules.yaml"), rulesFile());
        try (InputStream test = PrometheusRulesTest.class.getResourceAsStream("/monitoring/alerts-test.yaml")) {
            Files.copy(test, dir.resolve("alerts-test.yaml"));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestFiles.deleteTree(dir);
    }

    /** The PrometheusRule's spec, which is what a Prometheus rule file holds: its groups. */
    @SuppressWarnings("unchecked")
    static String rulesFile() throws Exception {
        Map<String, Object> rule = Serialization.unmarshal(Files.readString(RULE), Map.class);
        assertEquals("PrometheusRule", rule.get("kind"));
        return Serialization.asYaml(Map.of("groups", ((Map<String, Object>) rule.get("spec")).get("groups")));
    }

    @SuppressWarnings("unchecked")
    static Set<String> alerts() throws Exception {
        Map<String, Object> rules = Serialization.unmarshal(rulesFile(), Map.class);
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
                alerts.add((String) r.get("alert"));
            }
        }
        return alerts;
    }

    @Test
    void promtoolChecksTheShippedRules() throws Exception {
        ProgramRuns.Result check = ProgramRuns.run(TIMEOUT, "promtool", "check", "rules", dir.resolve("rules.yaml").toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: " + alerts().size() + " rules found"), check.output());
    }

    @Test
    void promtoolRefusesABrokenRule() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), rulesFile().replace("> 26 * 3600", "> > 26"));
        ProgramRuns.Result check = ProgramRuns.run(TIMEOUT, "promtool", "check", "rules", dir.resolve("rules.yaml").toString());
        assertNotEquals(0, check.exitCode(), check.output());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAUnitTestThatFiresAndTheyPass() throws Exception {
        Map<String, Object> tests = Serialization.unmarshal(Files.readString(dir.resolve("alerts-test.yaml")), Map.class);
        Set<String> firing = new TreeSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) tests.get("tests")) {
            for (Map<String, Object> test : (List<Map<String, Object>>) group.get("alert_rule_test")) {
                if (!((List<?>) test.getOrDefault("exp_alerts", List.of())).isEmpty()) {
                    firing.add((String) test.get("alertname"));
                }
            }
        }
        assertEquals(alerts(), firing, "an alert without a test case that fires");
        ProgramRuns.Result result = ProgramRuns.run(TIMEOUT, List.of("promtool", "test", "rules",
                dir.resolve("alerts-test.yaml").toString()));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }
}
