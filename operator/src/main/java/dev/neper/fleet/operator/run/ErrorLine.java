package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeSummary;

import java.util.List;

/** The line that says why a runner failed, from its summary or, failing that, its last log line. */
public final class ErrorLine {
    /** Link errors in the status are shortened to this; the pod's termination message keeps the whole text. */
    public static final int MAX_LENGTH = 200;
    /** A pair's message quotes Kubernetes (a scheduler's message runs long), so it gets more room. */
    public static final int MAX_PAIR_MESSAGE = 512;
    private static final int MAX_LINKS_QUOTED = 3;

    private ErrorLine() {
    }

    public static String of(ObservedPod pod) {
        NodeSummary summary = pod.summary();
        if (summary == null) {
            String text = pod.terminationMessage();
            if (text == null || text.isBlank()) {
                return "no termination message (see kubectl logs " + pod.name() + ")";
            }
            if (ExitStatus.signal(pod) != null) {
                // the log of a runner killed mid-run ends wherever it was: its last line says nothing of why
                return "it wrote no summary (its log: kubectl logs " + pod.name() + ")";
            }
            List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return shorten(lines.getLast());
        }
        if (summary.error() != null) {
            return shorten(summary.error());
        }
        List<String> failing = summary.links().stream().filter(l -> !l.succeeded()).map(ErrorLine::linkError).toList();
        if (failing.isEmpty()) {
            return "the runner reported a failure without a link error";
        }
        String quoted = String.join("; ", failing.subList(0, Math.min(MAX_LINKS_QUOTED, failing.size())));
        if (failing.size() > MAX_LINKS_QUOTED) {
            quoted += "; and " + (failing.size() - MAX_LINKS_QUOTED) + " more links";
        }
        return shorten(quoted);
    }

    /** "eth2: CONNECT_FAILED: connection refused" */
    public static String linkError(LinkSummary link) {
        String kind = link.errorKind() == null ? "ERROR" : link.errorKind().name();
        return link.device() + ": " + kind + (link.error() == null ? "" : ": " + link.error());
    }

    public static String shorten(String text) {
        return shorten(text, MAX_LENGTH);
    }

    public static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
