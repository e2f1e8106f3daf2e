package dev.neper.fleet.local;

import dev.neper.fleet.local.images.ProjectImages;
import dev.neper.fleet.runner.testing.Programs;
import dev.neper.fleet.runner.testing.TestFiles;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitoring of a fleet run for real: a local fleet of 6 nodes x 2 links runs a fleet test with a bad node
 * while a real Prometheus (Debian's prometheus, on 127.0.0.1 at a free port, its data in a temporary directory)
 * scrapes the operator every second and evaluates deploy/monitoring's alert rules (taken out of the shipped
 * PrometheusRule). Once the run completed, every query of the Grafana dashboard returns series for it; the
 * faulty-node alert fires for the bad node; every other alert, which a run with one bad node must not fire,
 * evaluates without error (Prometheus's rule health), is empty, and every metric its expression reads has series
 * for the run (whatever the alert's own matchers then pick from them). Then bin/neper-fleet report writes the
 * run's page from the fleet's API, as ./run-local --fleet --report does.
 */
class FleetMonitoringEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final String NAME = "e2e-monitor";
    private static final Pattern METRIC = Pattern.compile("\\b(neper_[a-z_]+)");
    private static LocalFleet fleet;
    private static Process prometheus;
    private static Path prometheusDir;
    private static String prometheusUrl;
    private static boolean passed;

    @BeforeAll
    static void start() throws Exception {
        fleet = FleetRuns.start(6, 2, 1, "neper-e2e-monitor", LocalFleet.Images.NONE);
        fleet.operators().getFirst().awaitReady(Duration.ofSeconds(120));
        int operatorPort = fleet.operators().getFirst().httpPort().orElseThrow();
        prometheusDir = Files.createTempDirectory("neper-e2e-prometheus-");
        prometheus = startPrometheus(prometheusDir, operatorPort);
        FleetRuns.await(() -> query("up{job=\"neper-fleet-operator\"} == 1").isEmpty() ? Optional.empty()
                : Optional.of(true), QUERY_TIMEOUT, "Prometheus scraping the operator");
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (prometheusDir != null) {
            if (!passed) {
                System.out.println("Prometheus's log: " + Files.readString(prometheusDir.resolve("prometheus.log")));
            }
            TestFiles.deleteTree(prometheusDir);
        }
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet, passed);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @SuppressWarnings("unchecked")
    private static Process startPrometheus(Path dir, int operatorPort) throws Exception {
        Map<String, Object> rule = Serialization.unmarshal(Files.readString(ProjectImages.ROOT
                .resolve("deploy/monitoring/prometheus-rule.yaml")), Map.class);
        Files.writeString(dir.resolve("rules.yaml"), Serialization.asYaml(Map.of("groups",
                ((Map<String, Object>) rule.get("spec")).get("groups"))));
        // as deploy/monitoring's PodMonitor scrapes it: /q/metrics, the metrics' own labels kept
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [rules.yaml]
                scrape_configs:
                - job_name: neper-fleet-operator
                  honor_labels: true
                  metrics_path: /q/metrics
                  static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(operatorPort));
        int port = freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        Programs.require("prometheus");
        return new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> api(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return Serialization.unmarshal(answer.body(), Map.class);
        }
    }

    /** An instant query's series; fails when Prometheus refuses the query (it does not parse). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> query(String promql) throws IOException, InterruptedException {
        Map<String, Object> answer;
        try {
            answer = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        }
        assertEquals("success", answer.get("status"), promql + ": " + answer);
        return (List<Map<String, Object>>) ((Map<String, Object>) answer.get("data")).get("result");
    }

    private static List<Map<String, Object>> awaitSeries(String promql) throws Exception {
        return FleetRuns.await(() -> {
            List<Map<String, Object>> series = query(promql);
            return series.isEmpty() ? Optional.empty() : Optional.of(series);
        }, QUERY_TIMEOUT, "series for " + promql);
    }

    /** The dashboard's queries with its variables set to this run's fleet test. */
    private static List<String> dashboardQueries() throws Exception {
        Map<String, Object> dashboard = Serialization.unmarshal(Files.readString(ProjectImages.ROOT
                .resolve("deploy/monitoring/grafana-dashboard.json")), Map.class);
        List<String> queries = new ArrayList<>();
        for (Object panel : (List<?>) dashboard.get("panels")) {
            for (Object target : (List<?>) ((Map<?, ?>) panel).get("targets")) {
                queries.add(((String) ((Map<?, ?>) target).get("expr")).replace("$namespace", fleet.namespace())
                        .replace("$fleet_test", NAME));
            }
        }
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> alertExpressions() throws Exception {
        Map<String, Object> rule = Serialization.unmarshal(Files.readString(ProjectImages.ROOT
                .resolve("deploy/monitoring/prometheus-rule.yaml")), Map.class);
        Map<String, String> alerts = new java.util.TreeMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put((String) r.get("alert"), (String) r.get("expr"));
            }
        }
        return alerts;
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusSeesTheRunTheDashboardsQueriesAnswerAndTheFaultyNodeAlertFires() throws Exception {
        FleetFaults.parse(fleet.layout(), List.of(), List.of("3"), List.of(), List.of(), null).inject(fleet.network());
        String yaml = Files.readString(ProjectImages.ROOT.resolve("docs/examples/neperfleettest-host.yaml"))
                .replace("name: local-fleet", "name: " + NAME)
                // marking's dry run, with a budget one bad node of six stays within
                + "  marking: {dryRun: true, maxPercent: 50}\n";
        fleet.apply(LocalFleet.NEPERFLEETTESTS, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> status = FleetRunFollower.follow(fleet, NAME, RUN_TIMEOUT, System.out);
        assertEquals("Completed", status.get("phase"), String.valueOf(status));

        String run = "{namespace=\"" + fleet.namespace() + "\", fleet_test=\"" + NAME + "\"}";
        awaitSeries("neper_fleet_last_run_info" + run);
        assertEquals(12, awaitSeries("neper_fleet_device_verdict" + run).size(), "6 nodes x 2 devices");
        for (String q : dashboardQueries()) {
            assertFalse(awaitSeries(q).isEmpty(), q);
        }

        // the rules Prometheus loaded from the PrometheusRule, each evaluated without error
        List<Map<String, Object>> rules = FleetRuns.await(() -> {
            Map<String, Object> groups = (Map<String, Object>) api("/api/v1/rules").get("data");
            List<Map<String, Object>> all = ((List<Map<String, Object>>) groups.get("groups")).stream()
                    .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
            return all.stream().allMatch(r -> "ok".equals(r.get("health"))) && !all.isEmpty() ? Optional.of(all)
                    : Optional.empty();
        }, QUERY_TIMEOUT, "every rule evaluated with health ok");
        Map<String, String> alerts = alertExpressions();
        assertEquals(alerts.keySet(), new java.util.TreeSet<>(rules.stream().map(r -> (String) r.get("name")).toList()));

        List<Map<String, Object>> faulty = awaitSeries(alerts.get("NeperFleetNodeFaulty"));
        assertEquals(List.of("local-node-3 NodeFault"), faulty.stream().map(s -> (Map<String, String>) s.get("metric"))
                .map(m -> m.get("node") + " " + m.get("verdict")).toList());
        Map<String, Object> firing = FleetRuns.await(() -> ((List<Map<String, Object>>) ((Map<String, Object>)
                api("/api/v1/alerts").get("data")).get("alerts")).stream()
                .filter(a -> "NeperFleetNodeFaulty".equals(((Map<String, String>) a.get("labels")).get("alertname")))
                .findFirst(), QUERY_TIMEOUT, "the NeperFleetNodeFaulty alert");
        assertEquals("local-node-3", ((Map<String, String>) firing.get("labels")).get("node"));

        for (Map.Entry<String, String> alert : alerts.entrySet()) {
            if (alert.getKey().equals("NeperFleetNodeFaulty")) {
                continue;
            }
            assertEquals(List.of(), query(alert.getValue()), alert.getKey() + " fires on a run with one bad node");
            Set<String> selectors = new LinkedHashSet<>();
            Matcher m = METRIC.matcher(alert.getValue());
            while (m.find()) {
                // the metric the alert reads, for this run, whatever the alert's own matchers pick from it
                selectors.add(m.group(1) + run);
            }
            for (String selector : selectors) {
                assertFalse(awaitSeries(selector).isEmpty(), alert.getKey() + " reads " + selector);
            }
        }

        Path report = Files.createTempFile("neper-e2e-report-", ".html");
        try {
            FleetRunMain.writeReport(ProjectImages.ROOT, fleet, NAME, report);
            String html = Files.readString(report);
            assertEquals(12, html.split("<td class=\"cell", -1).length - 1, "6 nodes x 2 devices");
            assertEquals(2, html.split("<td class=\"cell faulty\"", -1).length - 1, "local-node-3's eth1 and eth2");
        } finally {
            Files.deleteIfExists(report);
        }
        passed = true;
    }
}
