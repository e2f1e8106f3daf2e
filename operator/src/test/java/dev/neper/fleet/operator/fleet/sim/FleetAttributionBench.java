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
                    + " [--bad-paths P] [--bad-rack-rails B] [--rack-size N] [--strategy random|ring|rack-across|rack-within]"
                    + " [--max-pairs N] [--min-link-gbps G] [--jitter FRACTION] [--error-share FRACTION]");
            System.exit(2);
            return;
        }
        Simulation.Outcome outcome = Simulation.run(config);
        System.out.println(report(outcome));
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
        out.append(String.format(Locale.ROOT, "compute: %.1f ms (eligibility, %d planner calls, summary)%n",
                o.computeNanos() / 1e6, o.plannerCalls()));
        if (!s.missed().isEmpty()) {
            out.append("MISSED: ").append(String.join(", ", s.missed())).append('\n');
        }
        if (!s.wrong().isEmpty()) {
            out.append("WRONG: ").append(String.join(", ", s.wrong())).append('\n');
        }
        return out.toString().stripTrailing();
    }

    static SimConfig parse(String[] args) {
        Integer nodes = null;
        int rails = 8;
        long seed = 1;
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
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--nodes", "--rails", "--seed" -> { }
                case "--bad-nodes" -> builder.badNodes(count(args[i], value));
                case "--bad-links" -> builder.badLinks(count(args[i], value));
                case "--bad-paths" -> builder.badPaths(count(args[i], value));
                case "--bad-rails" -> builder.badRails(count(args[i], value));
                case "--bad-rack-rails" -> builder.badRackRails(count(args[i], value));
                case "--flaky" -> builder.flaky(count(args[i], value));
                case "--rack-size" -> builder.rackSize(positive(args[i], value));
                case "--max-pairs" -> builder.maxPairsAtOnce(count(args[i], value));
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
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
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
