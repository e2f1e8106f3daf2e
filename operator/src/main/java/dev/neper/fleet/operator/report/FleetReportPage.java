package dev.neper.fleet.operator.report;

import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.PathEntry;
import dev.neper.fleet.operator.api.RailEntry;
import dev.neper.fleet.operator.runview.RunMatrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A fleet run's report as one self-contained HTML page (styles inline, charts as inline SVG, no script, nothing
 * fetched): the node x device heatmap with the faulty devices marked, nodes by verdict, the verdicts with their
 * evidence, the paths and rails, per-rail distributions and the last runs.
 */
public final class FleetReportPage {
    /** A faulty device's cell (NodeFault, LinkFault): the one colour the heatmap uses for nothing else. */
    public static final String FAULTY = "#d7191c";
    /** A healthy device at 90% of its rail's median or more. */
    public static final String AT_SPEED = "#1a9641";
    static final String BELOW_SPEED = "#a6d96a";
    static final String SLOW = "#fdae61";
    static final String DOUBTFUL = "#fee08b";
    static final String UNTESTED = "#bababa";
    static final String UNMEASURED = "#e0e0e0";
    /** Each heatmap cell's size in CSS pixels. */
    public static final int CELL_WIDTH = 56;
    public static final int CELL_HEIGHT = 24;
    private static final int BINS = 20;

    private FleetReportPage() {
    }

    public static String render(FleetRun run, Instant generated) {
        NeperFleetTestStatus status = run.status();
        RunMatrix matrix = RunMatrix.of(status, run.children());
        FleetSummary summary = status.summary();
        Map<String, Double> medians = railMedians(matrix);
        StringBuilder html = new StringBuilder(16 * 1024);
        String title = "Fleet report: " + (run.name() == null ? "a fleet test" : run.namespace() + "/" + run.name())
                + (status.runId() == null ? "" : " run " + status.runId());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>\n").append(STYLE).append("</style></head>\n<body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"lead\">").append(esc(phaseLine(status)))
                .append("</p>\n<p class=\"meta\">started ").append(esc(orDash(status.startTime()))).append(", ended ")
                .append(esc(orDash(status.completionTime()))).append("; report written ").append(generated).append("</p>\n");
        verdictCounts(html, summary);
        heatmap(html, matrix, medians, run.children().isEmpty());
        verdicts(html, summary);
        rails(html, matrix, summary, medians);
        marking(html, status.marking());
        runs(html, run.runs());
        html.append("</body></html>\n");
        return html.toString();
    }

    private static String phaseLine(NeperFleetTestStatus status) {
        return orDash(status.phase() == null ? null : status.phase().name()) + (status.reason() == null ? ""
                : " (" + status.reason() + ")") + (status.healthy() == null ? "" : ", healthy " + status.healthy())
                + (status.message() == null ? "" : ": " + status.message());
    }

    private static void verdictCounts(StringBuilder html, FleetSummary summary) {
        if (summary == null || summary.counts() == null) {
            return;
        }
        html.append("<div class=\"counts\">");
        summary.counts().forEach((verdict, count) -> html.append("<span class=\"count\" style=\"background:")
                .append(colour(verdict, 1.0)).append("\"><b>").append(count).append("</b> ").append(esc(verdict))
                .append("</span>"));
        html.append("</div>\n");
    }

    private static void heatmap(StringBuilder html, RunMatrix matrix, Map<String, Double> medians, boolean statusOnly) {
        html.append("<h2>Nodes x devices</h2>\n<p class=\"meta\">Each cell: the best receiver Gbit/s the device reached in"
                + " the run (a link is as fast as its slower end). ");
        if (statusOnly) {
            html.append("<b>From the status alone: only the nodes it names are shown.</b> ");
        }
        html.append("</p>\n<div class=\"legend\">");
        legend(html, AT_SPEED, "healthy, at 90% of the rail's median or more");
        legend(html, BELOW_SPEED, "healthy, 75-90%");
        legend(html, SLOW, "healthy, below 75%");
        legend(html, FAULTY, "faulty (NodeFault, LinkFault)");
        legend(html, DOUBTFUL, "Flaky, Inconclusive");
        legend(html, UNTESTED, "Skipped, Unqualified");
        legend(html, UNMEASURED, "no number");
        html.append("</div>\n<table class=\"heatmap\" id=\"heatmap\"><tr><th>node</th>");
        matrix.rails().forEach(r -> html.append("<th>").append(esc(r)).append("</th>"));
        html.append("<th>verdict</th></tr>\n");
        for (RunMatrix.NodeRow node : matrix.nodes()) {
            html.append("<tr><th class=\"node\">").append(esc(node.node())).append("</th>");
            for (RunMatrix.DeviceCell cell : node.devices()) {
                String colour = cellColour(cell, medians.get(cell.device()));
                html.append("<td class=\"cell").append(faulty(cell.verdict()) ? " faulty" : "")
                        .append("\" style=\"background:").append(colour).append("\" title=\"")
                        .append(esc(node.node() + " " + cell.device() + ": " + cell.verdict()
                                + (cell.gbps() == null ? "" : ", " + gbps(cell.gbps()) + " Gbit/s")))
                        .append("\">").append(cell.gbps() == null ? "&ndash;" : gbps(cell.gbps())).append("</td>");
            }
            html.append("<td class=\"verdict\">").append(esc(node.verdict())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void legend(StringBuilder html, String colour, String text) {
        html.append("<span><i style=\"background:").append(colour).append("\"></i>").append(esc(text)).append("</span>");
    }

    private static void verdicts(StringBuilder html, FleetSummary summary) {
        html.append("<h2>Verdicts and evidence</h2>\n");
        List<NodeEntry> faulty = summary == null || summary.faulty() == null ? List.of() : summary.faulty();
        if (faulty.isEmpty()) {
            html.append("<p>Every node is healthy.</p>\n");
        } else {
            html.append("<table class=\"list\"><tr><th>node</th><th>verdict</th><th>devices</th><th>reason</th>"
                    + "<th>evidence (round, peer: device Gbit/s, ok or why it failed)</th></tr>\n");
            for (NodeEntry node : faulty) {
                html.append("<tr><td>").append(esc(node.node())).append("</td><td><span class=\"tag\" style=\"background:")
                        .append(colour(node.verdict(), 1.0)).append("\">").append(esc(node.verdict()))
                        .append("</span></td><td>").append(esc(String.join(", ", Objects.requireNonNullElse(node.devices(),
                                List.of())))).append("</td><td>").append(esc(orDash(node.reason()))).append("</td><td>")
                        .append(lines(node.evidence())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        List<PathEntry> paths = summary == null || summary.pathFaults() == null ? List.of() : summary.pathFaults();
        if (!paths.isEmpty()) {
            html.append("<h3>Paths and flaky pairs</h3>\n<table class=\"list\"><tr><th>nodes</th><th>rail</th>"
                    + "<th>verdict</th><th>reason</th><th>evidence</th></tr>\n");
            for (PathEntry path : paths) {
                html.append("<tr><td>").append(esc(String.join(" - ", path.nodes()))).append("</td><td>")
                        .append(esc(path.device())).append("</td><td>").append(esc(path.verdict())).append("</td><td>")
                        .append(esc(orDash(path.reason()))).append("</td><td>").append(lines(path.evidence()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
    }

    private static void rails(StringBuilder html, RunMatrix matrix, FleetSummary summary, Map<String, Double> medians) {
        html.append("<h2>Rails</h2>\n<p class=\"meta\">Round 1's statistics per rail, and the distribution of the"
                + " devices' best Gbit/s (faulty devices in red).</p>\n<div class=\"rails\">");
        Map<String, RailEntry> entries = new TreeMap<>();
        if (summary != null && summary.rails() != null) {
            summary.rails().forEach(r -> entries.put(r.rail(), r));
        }
        double top = matrix.nodes().stream().flatMap(n -> n.devices().stream()).map(RunMatrix.DeviceCell::gbps)
                .filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(1.0);
        for (String rail : matrix.rails()) {
            RailEntry entry = entries.get(rail);
            html.append("<div class=\"rail\"><h3>").append(esc(rail)).append("</h3>");
            histogram(html, matrix, rail, top);
            html.append("<p>");
            if (entry != null) {
                html.append(entry.samples()).append(" round-1 samples, min ").append(gbps(entry.minGbps()))
                        .append(", median ").append(gbps(entry.medianGbps())).append(", MAD ").append(gbps(entry.madGbps()))
                        .append(" Gbit/s");
            } else {
                html.append("median of the devices' best ").append(gbps(medians.get(rail))).append(" Gbit/s");
            }
            html.append("</p>");
            if (entry != null && entry.faults() != null && !entry.faults().isEmpty()) {
                html.append("<p class=\"fault\">").append(lines(entry.faults())).append("</p>");
            }
            html.append("</div>");
        }
        html.append("</div>\n");
    }

    /** An inline SVG histogram of a rail's devices' best Gbit/s, 0 to the fleet's top, faulty devices stacked in red. */
    private static void histogram(StringBuilder html, RunMatrix matrix, String rail, double top) {
        int[] healthy = new int[BINS];
        int[] bad = new int[BINS];
        for (RunMatrix.NodeRow node : matrix.nodes()) {
            for (RunMatrix.DeviceCell cell : node.devices()) {
                if (cell.device().equals(rail) && cell.gbps() != null) {
                    int bin = Math.min(BINS - 1, (int) (cell.gbps() / top * BINS));
                    (faulty(cell.verdict()) ? bad : healthy)[bin]++;
                }
            }
        }
        int most = 1;
        for (int i = 0; i < BINS; i++) {
            most = Math.max(most, healthy[i] + bad[i]);
        }
        int width = 300;
        int height = 100;
        int bar = width / BINS;
        html.append("<svg width=\"").append(width).append("\" height=\"").append(height + 16)
                .append("\" role=\"img\" aria-label=\"").append(esc(rail)).append(" distribution\">");
        for (int i = 0; i < BINS; i++) {
            int goodHeight = healthy[i] * height / most;
            int badHeight = bad[i] * height / most;
            if (goodHeight > 0) {
                rect(html, i * bar, height - goodHeight, bar - 1, goodHeight, "#4575b4");
            }
            if (badHeight > 0) {
                rect(html, i * bar, height - goodHeight - badHeight, bar - 1, badHeight, FAULTY);
            }
        }
        html.append("<line x1=\"0\" y1=\"").append(height).append("\" x2=\"").append(width).append("\" y2=\"")
                .append(height).append("\" stroke=\"#333\"/><text x=\"0\" y=\"").append(height + 13)
                .append("\" font-size=\"11\">0</text><text x=\"").append(width).append("\" y=\"").append(height + 13)
                .append("\" font-size=\"11\" text-anchor=\"end\">").append(gbps(top)).append(" Gbit/s</text></svg>");
    }

    private static void rect(StringBuilder html, int x, int y, int width, int height, String colour) {
        html.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" fill=\"").append(colour).append("\"/>");
    }

    private static void marking(StringBuilder html, dev.neper.fleet.operator.api.FleetMarkingStatus marking) {
        if (marking == null) {
            return;
        }
        html.append("<h2>Marking</h2>\n<p>").append(marking.dryRun() ? "Dry run: what would be marked. " : "")
                .append(marking.marksSet()).append(" node(s) marked, ").append(marking.marksCleared())
                .append(" cleared").append(marking.dryRun() ? " (would be)" : "").append(".")
                .append(marking.budgetTripped() ? " <b class=\"fault\">Budget tripped: " + esc(orDash(marking.budgetReason()))
                        + "</b>" : "").append("</p>\n");
        if (!marking.actionList().isEmpty()) {
            html.append("<table class=\"list\"><tr><th>node</th><th>action</th><th>marks</th></tr>\n");
            for (dev.neper.fleet.operator.api.MarkingAction action : marking.actionList()) {
                html.append("<tr><td>").append(esc(action.node())).append("</td><td>").append(esc(action.action()))
                        .append("</td><td>").append(lines(action.marks())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
    }

    private static void runs(StringBuilder html, List<FleetRun.RunLine> runs) {
        html.append("<h2>Last runs</h2>\n<table class=\"list\"><tr><th>fleet test</th><th>run</th><th>phase</th>"
                + "<th>reason</th><th>started</th><th>ended</th><th>healthy</th><th>faults</th></tr>\n");
        for (FleetRun.RunLine run : runs) {
            html.append("<tr>");
            for (Object value : new Object[]{run.fleetTest(), run.runId(), run.phase(), run.reason(), run.startTime(),
                    run.completionTime(), run.healthy(), run.faults()}) {
                html.append("<td>").append(esc(value == null ? "-" : value.toString())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** Each rail's median of its devices' best Gbit/s: the reference a healthy cell's shade is relative to. */
    static Map<String, Double> railMedians(RunMatrix matrix) {
        Map<String, List<Double>> values = new TreeMap<>();
        for (RunMatrix.NodeRow node : matrix.nodes()) {
            for (RunMatrix.DeviceCell cell : node.devices()) {
                if (cell.gbps() != null && !faulty(cell.verdict())) {
                    values.computeIfAbsent(cell.device(), d -> new ArrayList<>()).add(cell.gbps());
                }
            }
        }
        Map<String, Double> medians = new TreeMap<>();
        values.forEach((rail, list) -> {
            List<Double> sorted = list.stream().sorted().toList();
            int n = sorted.size();
            medians.put(rail, n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
        });
        return medians;
    }

    static String cellColour(RunMatrix.DeviceCell cell, Double median) {
        if (!RunMatrix.HEALTHY.equals(cell.verdict())) {
            return colour(cell.verdict(), 1.0);
        }
        if (cell.gbps() == null) {
            return UNMEASURED;
        }
        return colour(RunMatrix.HEALTHY, median == null || median <= 0 ? 1.0 : cell.gbps() / median);
    }

    private static String colour(String verdict, double ofMedian) {
        return switch (verdict) {
            case "NodeFault", "LinkFault" -> FAULTY;
            case "Flaky", "Inconclusive" -> DOUBTFUL;
            case "Skipped", "Unqualified" -> UNTESTED;
            default -> ofMedian >= 0.9 ? AT_SPEED : ofMedian >= 0.75 ? BELOW_SPEED : SLOW;
        };
    }

    private static boolean faulty(String verdict) {
        return "NodeFault".equals(verdict) || "LinkFault".equals(verdict);
    }

    private static String lines(List<String> lines) {
        return lines == null ? "" : String.join("<br>", lines.stream().map(FleetReportPage::esc).toList());
    }

    private static String gbps(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, value >= 10 ? "%.0f" : "%.1f", value);
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body{font-family:sans-serif;margin:24px;color:#222;background:#fff}
            h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:12px 0 4px}
            .lead{font-size:15px;margin:4px 0}.meta{color:#555;font-size:13px}
            .counts{margin:12px 0}.count{display:inline-block;padding:4px 10px;margin:0 6px 6px 0;border-radius:4px;font-size:14px}
            .legend span{display:inline-block;margin:0 14px 6px 0;font-size:12px}
            .legend i{display:inline-block;width:14px;height:14px;margin-right:4px;vertical-align:middle;border:1px solid #999}
            table.heatmap{border-collapse:separate;border-spacing:2px;font-size:12px}
            table.heatmap th{font-weight:normal;text-align:left;padding:0 6px}
            td.cell{width:%dpx;min-width:%dpx;max-width:%dpx;height:%dpx;padding:0;text-align:center;color:#000;box-sizing:border-box}
            td.cell.faulty{color:#fff;font-weight:bold}
            td.verdict{padding:0 8px;font-size:12px}
            table.list{border-collapse:collapse;font-size:13px}table.list td,table.list th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
            .tag{padding:1px 6px;border-radius:3px}
            .rails{display:flex;flex-wrap:wrap;gap:24px}.rail{width:320px}.fault{color:#b00}
            """.formatted(CELL_WIDTH, CELL_WIDTH, CELL_WIDTH, CELL_HEIGHT);
}
