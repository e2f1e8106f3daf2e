package dev.neper.fleet.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A NeperTest's status as the local fleet prints it: the phase as it moves, then a per-link table. */
final class StatusView {
    private StatusView() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource test) {
        Object status = test.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static boolean ended(Map<String, Object> status) {
        Object phase = status.get("phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static String phaseLine(Map<String, Object> status) {
        Object phase = status.getOrDefault("phase", "(no status yet)");
        Object reason = status.get("reason");
        Object message = status.get("message");
        return "phase " + phase + (reason == null ? "" : " (" + reason + ")") + (message == null ? "" : ": " + message);
    }

    @SuppressWarnings("unchecked")
    static String linkTable(Map<String, Object> status) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-28s %-6s %10s  %-8s %-10s %s%n",
                "PAIR (server <- client)", "LINK", "GBIT/S", "VERDICT", "VALIDATION", "ERROR"));
        for (Map<String, Object> pair : (List<Map<String, Object>>) status.getOrDefault("pairs", List.of())) {
            String name = pair.get("server") + " <- " + pair.get("client");
            for (Map<String, Object> link : (List<Map<String, Object>>) pair.getOrDefault("links", List.of())) {
                Object gbps = link.get("gbps");
                out.append(String.format(Locale.ROOT, "%-28s %-6s %10s  %-8s %-10s %s%n", name, link.get("device"),
                        gbps == null ? "-" : String.format(Locale.ROOT, "%.2f", ((Number) gbps).doubleValue()),
                        link.get("verdict"), link.getOrDefault("validation", "-"),
                        link.get("error") == null ? "" : link.get("error")));
            }
        }
        Object summary = status.get("summary");
        if (summary instanceof Map<?, ?> s) {
            out.append("links passed ").append(s.get("links"));
            if (s.get("minGbps") != null) {
                out.append(", min ").append(s.get("minGbps")).append(" Gbit/s, median ").append(s.get("medianGbps"))
                        .append(" Gbit/s");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
