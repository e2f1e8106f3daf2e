package dev.neper.fleet.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A NeperFleetTest's status as the local fleet prints it: its phase and waves as they go, then the verdicts. */
final class FleetRunView {
    private FleetRunView() {
    }

    static boolean ended(Map<String, Object> status) {
        Object phase = status.get("phase");
        return "Completed".equals(phase) || "Failed".equals(phase);
    }

    /** "round 2 wave 1: 6 pairs in ...", or the phase line when no wave runs. */
    static String progressLine(Map<String, Object> status) {
        return "WaveStarted".equals(status.get("reason")) ? String.valueOf(status.get("message"))
                : StatusView.phaseLine(status);
    }

    /** "  local-fleet-...-r1w1-p1 Failed: 7/8 links passed, min 0.95 Gbit/s" */
    @SuppressWarnings("unchecked")
    static String childLine(String name, Map<String, Object> status) {
        Map<String, Object> summary = (Map<String, Object>) status.getOrDefault("summary", Map.of());
        return "  " + name + " " + status.get("phase") + ": " + summary.getOrDefault("links", "?") + " links passed"
                + (summary.get("minGbps") == null ? "" : String.format(Locale.ROOT, ", min %.2f Gbit/s",
                ((Number) summary.get("minGbps")).doubleValue()))
                + ("Failed".equals(status.get("phase")) && !"LinksFailed".equals(status.get("reason"))
                        && status.get("message") != null ? " (" + status.get("message") + ")" : "");
    }

    /** Every non-healthy node with its verdict, devices and reason, then its evidence; paths; rails. */
    @SuppressWarnings("unchecked")
    static String verdictTable(Map<String, Object> status) {
        Map<String, Object> summary = (Map<String, Object>) status.get("summary");
        if (summary == null) {
            return "no verdicts: " + status.get("reason") + ": " + status.get("message") + "\n";
        }
        StringBuilder out = new StringBuilder();
        List<Map<String, Object>> faulty = (List<Map<String, Object>>) summary.getOrDefault("faulty", List.of());
        out.append("verdicts: ").append(summary.get("counts")).append(" of ").append(summary.get("nodes"))
                .append(" nodes; ").append(summary.get("paths")).append(" bad paths, ").append(summary.get("flakyPairs"))
                .append(" flaky pairs, ").append(summary.get("railFaults")).append(" rail faults; ")
                .append(summary.get("rounds")).append(" rounds, ").append(summary.get("pairTests"))
                .append(" pair tests, seed ").append(summary.get("seed")).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "VERDICT", "DEVICES", "REASON"});
        for (Map<String, Object> node : faulty) {
            rows.add(new String[] {String.valueOf(node.get("node")), String.valueOf(node.get("verdict")),
                    String.join(",", (List<String>) node.getOrDefault("devices", List.of())),
                    String.valueOf(node.get("reason"))});
        }
        if (faulty.isEmpty()) {
            out.append("every node healthy\n");
        } else {
            columns(rows, out);
            out.append("evidence (round, peer: device Gbit/s, ok or why it failed):\n");
            for (Map<String, Object> node : faulty) {
                for (String line : (List<String>) node.getOrDefault("evidence", List.of())) {
                    out.append("  ").append(node.get("node")).append(": ").append(line).append('\n');
                }
            }
        }
        List<Map<String, Object>> paths = (List<Map<String, Object>>) summary.getOrDefault("pathFaults", List.of());
        if (!paths.isEmpty()) {
            List<String[]> pathRows = new ArrayList<>();
            pathRows.add(new String[] {"PATH", "DEVICE", "VERDICT", "REASON"});
            for (Map<String, Object> path : paths) {
                pathRows.add(new String[] {String.join(" <-> ", (List<String>) path.get("nodes")),
                        String.valueOf(path.get("device")), String.valueOf(path.get("verdict")),
                        String.valueOf(path.get("reason"))});
            }
            columns(pathRows, out);
        }
        List<String[]> railRows = new ArrayList<>();
        railRows.add(new String[] {"RAIL", "SAMPLES", "MIN", "MEDIAN", "MAD", "FAULTS"});
        for (Map<String, Object> rail : (List<Map<String, Object>>) summary.getOrDefault("rails", List.of())) {
            railRows.add(new String[] {String.valueOf(rail.get("rail")), String.valueOf(rail.get("samples")),
                    String.valueOf(rail.get("minGbps")), String.valueOf(rail.get("medianGbps")),
                    String.valueOf(rail.get("madGbps")),
                    String.join("; ", (List<String>) rail.getOrDefault("faults", List.of()))});
        }
        columns(railRows, out);
        return out.toString();
    }

    private static void columns(List<String[]> rows, StringBuilder out) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
