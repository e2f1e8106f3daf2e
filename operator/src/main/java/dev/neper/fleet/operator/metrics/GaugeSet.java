package dev.neper.fleet.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One owner's gauges (a fleet test's, a NeperTest's), replaced as a whole: {@link #replace} sets the
 * values given, registers the new series and removes those no longer given, so a node that left the run
 * or a device that is gone leaves no stale series behind; {@link #clear} removes them all.
 */
final class GaugeSet {
    /** A series: the metric's name, its tags and its description. */
    record Series(String name, Tags tags, String description) {
    }

    private final MeterRegistry registry;
    private final Map<Series, AtomicReference<Double>> values = new HashMap<>();

    GaugeSet(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void replace(Map<Series, Double> next) {
        for (var stale : values.keySet().stream().filter(s -> !next.containsKey(s)).toList()) {
            remove(stale);
        }
        next.forEach(this::set);
    }

    synchronized void set(Series series, double value) {
        values.computeIfAbsent(series, s -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge.builder(s.name(), holder, AtomicReference::get).description(s.description()).tags(s.tags())
                    .register(registry);
            return holder;
        }).set(value);
    }

    /** Removes the series {@code which} picks. */
    synchronized void removeIf(java.util.function.Predicate<Series> which) {
        values.keySet().stream().filter(which).toList().forEach(this::remove);
    }

    synchronized void clear() {
        values.keySet().stream().toList().forEach(this::remove);
    }

    synchronized int size() {
        return values.size();
    }

    private void remove(Series series) {
        values.remove(series);
        Gauge gauge = registry.find(series.name()).tags(series.tags()).gauge();
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
