package dev.neper.fleet.operator.fleet.sim;

import dev.neper.fleet.operator.fleet.pairing.PairingStrategy;
import dev.neper.fleet.operator.fleet.pairing.RackMode;

import java.util.Locale;

/**
 * bench/fleet-attribution.sh's program: simulates one fleet run and prints precision, recall, rounds,
 * tests run and the time of the pure computation. Exit 0 when the run completed, whatever it found; 2 on
 * a bad option.
 */
public final class FleetAttributionBench {
    private FleetAttributionBench() {
    }

    public static void main(String[] args) {
        SimConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fleet-attribution: " + e.getMessage());
            System.err.println("usage: --nodes N --rails R --bad-nodes K --bad-links L --bad-rails B --flaky F --seed S"
                    + " [--bad-paths P] [--bad-rack-rails B] [--off-subnet U] [--rack-size N] [--strategy random|ring|rack-across|rack-within]"
                    + " [--max-pairs N] [--min-link-gbps G] [--jitter FRACTION] [--error-share FRACTION] [--repeat N] [--verdicts]");
            System.exit(2);
            return;
        }
        int repeat = repeat(args);
        long[] wall = new long[repeat];
        long[] cpu = new long[repeat];
        Simulation.Outcome outcome = null;
        for (int i = 0; i < repeat; i++) {
            outcome = Simulation.run(config);
            wall[i] = outcome.computeNanos();
            cpu[i] = outcome.computeCpuNanos();
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        System.out.println(report(outcome));
        if (repeat > 1) {
            System.out.printf(Locale.ROOT, "compute over %d runs in one JVM (the first warms the JIT): median %.1f ms wall,"
                    + " %.1f ms CPU; min %.1f ms wall, %.1f ms CPU%n", repeat, wall[repeat / 2] / 1e6, cpu[repeat / 2] / 1e6,
                    wall[0] / 1e6, cpu[0] / 1e6);
        }
        if (java.util.Arrays.asList(args).contains("--verdicts")) {
            System.out.println(verdicts(outcome));
        }
    }

    static String report(Simulation.Outcome o) {
        SimConfig c = o.config();
        Score s = o.score();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "fleet: nodes=%d rails=%d racks-of=%d strategy=%s%s max-pairs=%d floor=%s seed=%d%n",
                c.nodes(), c.rails(), c.rackSize(), c.strategy().name().toLowerCase(Locale.ROOT),
                c.strategy() == PairingStrategy.RACK ? "-" + c.rackMode().name().toLowerCase(Locale.ROOT) : "",
                c.maxPairsAtOnce(), c.minLinkGbps() == null ? "none" : c.minLinkGbps(), c.seed()));
        out.append(String.format(Locale.ROOT, "faults: bad-nodes=%d bad-links=%d bad-paths=%d bad-rails=%d bad-rack-rails=%d"
                        + " flaky=%d (touching %d nodes, %.1f%%)%n", c.badNodes(), c.badLinks(), c.badPaths(), c.badRails(),
                c.badRackRails(), c.flaky(), c.touchedNodes(), 100.0 * c.touchedNodes() / Math.max(1, c.nodes())));
        out.append(String.format(Locale.ROOT, "precision=%.3f recall=%.3f rounds=%d waves=%d pair-tests=%d link-tests=%d%n",
                s.precision(), s.recall(), o.report().rounds(), o.report().waves(), o.report().pairTests(),
                o.report().linkTests()));
        out.append(String.format(Locale.ROOT, "verdicts: %s paths=%d flaky-pairs=%d rail-faults=%d false-flaky=%d inconclusive=%d%n",
                o.summary().counts(), o.summary().paths(), o.summary().flakyPairs(), o.summary().railFaults(),
                s.falseFlaky(), s.inconclusive()));
        out.append(String.format(Locale.ROOT, "compute: %.1f ms wall, %.1f ms CPU (eligibility, %d planner calls, summary)%n",
                o.computeNanos() / 1e6, o.computeCpuNanos() / 1e6, o.plannerCalls()));
        if (!s.missed().isEmpty()) {
            out.append("MISSED: ").append(first(s.missed())).append('\n');
        }
        if (!s.wrong().isEmpty()) {
            out.append("WRONG: ").append(first(s.wrong())).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** The verdict table: every non-healthy node, path and rail, as the status lists them. */
    static String verdicts(Simulation.Outcome o) {
        StringBuilder out = new StringBuilder();
        o.summary().faulty().forEach(n -> out.append(String.format(Locale.ROOT, "%-12s %-12s %-20s %s%n      %s%n", n.node(),
                n.verdict(), String.join(",", n.devices()), n.reason(), String.join("\n      ", n.evidence()))));
        o.summary().pathFaults().forEach(p -> out.append(String.format(Locale.ROOT, "%-25s %-12s %-6s %s%n",
                String.join("<->", p.nodes()), p.verdict(), p.device(), p.reason())));
        o.summary().rails().forEach(r -> out.append(String.format(Locale.ROOT, "%-6s samples=%d min=%s median=%s mad=%s %s%n",
                r.rail(), r.samples(), r.minGbps(), r.medianGbps(), r.madGbps(), String.join("; ", r.faults()))));
        return out.toString().stripTrailing();
    }

    private static String first(java.util.Collection<String> items) {
        return String.join(", ", items.stream().limit(20).toList()) + (items.size() > 20 ? " and " + (items.size() - 20) + " more" : "");
    }

    private static int repeat(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--repeat")) {
                return Math.max(1, Integer.parseInt(args[i + 1]));
            }
        }
        return 1;
    }

    static SimConfig parse(String[] args) {
        Integer nodes = null;
        int rails = 8;
        long seed = 1;
        args = java.util.Arrays.stream(args).filter(a -> !a.equals("--verdicts")).toArray(String[]::new);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--nodes" -> nodes = positive(args[i], args[i + 1]);
                case "--rails" -> rails = positive(args[i], args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> { }
            }
        }
        if (nodes == null) {
            throw new IllegalArgumentException("--nodes is required");
        }
        SimConfig.Builder builder = SimConfig.builder(nodes, rails, seed);
        String[] options = args;
        for (int i = 0; i < options.length; i += 2) {
            String value = options[i + 1];
            switch (options[i]) {
                case "--nodes", "--rails", "--seed", "--repeat" -> { }
                case "--bad-nodes" -> builder.badNodes(count(options[i], value));
                case "--bad-links" -> builder.badLinks(count(options[i], value));
                case "--bad-paths" -> builder.badPaths(count(options[i], value));
                case "--bad-rails" -> builder.badRails(count(options[i], value));
                case "--bad-rack-rails" -> builder.badRackRails(count(options[i], value));
                case "--flaky" -> builder.flaky(count(options[i], value));
                case "--off-subnet" -> builder.offSubnet(count(options[i], value));
                case "--rack-size" -> builder.rackSize(positive(options[i], value));
                case "--max-pairs" -> builder.maxPairsAtOnce(count(options[i], value));
                case "--min-link-gbps" -> builder.minLinkGbps(Double.parseDouble(value));
                case "--jitter" -> builder.jitter(Double.parseDouble(value));
                case "--error-share" -> builder.errorShare(Double.parseDouble(value));
                case "--strategy" -> {
                    switch (value) {
                        case "random" -> builder.strategy(PairingStrategy.RANDOM);
                        case "ring" -> builder.strategy(PairingStrategy.RING);
                        case "rack-across" -> builder.strategy(PairingStrategy.RACK).rackMode(RackMode.ACROSS);
                        case "rack-within" -> builder.strategy(PairingStrategy.RACK).rackMode(RackMode.WITHIN);
                        default -> throw new IllegalArgumentException("unknown strategy " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + options[i]);
            }
        }
        return builder.build();
    }

    private static int count(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 0) {
            throw new IllegalArgumentException(option + " must be 0 or more, not " + value);
        }
        return n;
    }

    private static int positive(String option, String value) {
        int n = count(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }
}
