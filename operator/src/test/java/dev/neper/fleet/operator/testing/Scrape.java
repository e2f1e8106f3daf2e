package dev.neper.fleet.operator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text exposition (what /q/metrics answers), by metric name. */
public final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: its labels and value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    private final Map<String, List<Sample>> samples = new TreeMap<>();

    public Scrape(String text) {
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Sample(labels, Double.parseDouble(m.group(3))));
        }
    }

    public List<Sample> of(String metric) {
        return samples.getOrDefault(metric, List.of());
    }

    /** The value of the one sample of {@code metric} whose labels include {@code labels}; fails when not exactly one. */
    public double value(String metric, Map<String, String> labels) {
        List<Sample> found = of(metric).stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + metric + " with " + labels + ": " + of(metric));
        }
        return found.getFirst().value();
    }
}
