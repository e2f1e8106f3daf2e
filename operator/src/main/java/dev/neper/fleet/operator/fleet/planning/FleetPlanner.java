package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.attribution.Attribution;
import dev.neper.fleet.operator.fleet.attribution.FleetVerdicts;
import dev.neper.fleet.operator.fleet.attribution.RoundOneAnalysis;
import dev.neper.fleet.operator.fleet.attribution.RoundOneFindings;
import dev.neper.fleet.operator.fleet.attribution.TestIndex;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.judging.JudgedLink;
import dev.neper.fleet.operator.fleet.judging.LinkJudge;
import dev.neper.fleet.operator.fleet.judging.RailStats;
import dev.neper.fleet.operator.fleet.pairing.FirstRoundPairing;
import dev.neper.fleet.operator.fleet.pairing.Matching;
import dev.neper.fleet.operator.fleet.wave.LinkMeasurement;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;
import dev.neper.fleet.operator.fleet.wave.Wave;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The controller's entry point: given a run so far, the next wave to test or the verdicts. Round 1 tests
 * round 1's matching (and the odd node out with a node that passed); round 2 each suspect with two good
 * partners; round 3 the retests and votes; then attribution. Every call replays the run from its results,
 * so the answer depends on nothing but the run.
 */
public final class FleetPlanner {
    private FleetPlanner() {
    }

    public static Step next(FleetRun run) {
        EligibleFleet fleet = run.fleet();
        FleetSettings settings = run.settings();
        List<String> rails = fleet.rails();
        Map<String, TestNode> nodes = fleet.nodes().stream().collect(Collectors.toMap(TestNode::name, Function.identity()));
        long seed = settings.pairing().seed();
        Replay replay = new Replay(run.results());

        Matching matching = FirstRoundPairing.match(fleet.nodes(), settings.pairing());
        List<PlannedPair> firstPairs = matching.pairs().stream()
                .map(p -> Links.pair(nodes.get(p.server()), nodes.get(p.client()), rails, Purpose.FIRST_ROUND)).toList();
        List<Wave> first = WavePacker.pack(1, firstPairs, settings.maxPairsAtOnce());
        boolean oddPending = matching.oddNode() != null;
        for (int i = 0; i < first.size(); i++) {
            Wave wave = first.get(i);
            boolean lastWithRoom = i == first.size() - 1 && i > 0
                    && (settings.maxPairsAtOnce() == 0 || wave.pairs().size() < settings.maxPairsAtOnce());
            if (oddPending && lastWithRoom) {
                Optional<PlannedPair> odd = oddPair(matching, replay, nodes, rails, settings);
                if (odd.isPresent()) {
                    List<PlannedPair> pairs = new ArrayList<>(wave.pairs());
                    pairs.add(odd.get());
                    wave = new Wave(1, wave.index(), pairs);
                    oddPending = false;
                }
            }
            if (!replay.consume(wave)) {
                return new Step.RunWave(wave);
            }
        }
        if (oddPending) {
            Optional<PlannedPair> odd = oddPair(matching, replay, nodes, rails, settings);
            if (odd.isPresent()) {
                Wave wave = new Wave(1, first.size() + 1, List.of(odd.get()));
                if (!replay.consume(wave)) {
                    return new Step.RunWave(wave);
                }
            }
        }

        List<LinkMeasurement> roundOne = replay.measured().stream().map(Replay.Measured::measurement).toList();
        Map<String, RailStats> stats = LinkJudge.railStats(rails, roundOne);
        LinkJudge judge = new LinkJudge(settings.judging(), stats);
        List<JudgedLink> judgedOne = judged(judge, replay);
        RoundOneFindings findings = RoundOneAnalysis.analyse(fleet, judgedOne, stats, settings.judging().minSamples(),
                settings.attribution());
        Map<String, Set<String>> peers = peers(judgedOne);
        List<String> attributed = findings.attributedRails(rails);

        List<Wave> second = WavePacker.pack(2, SecondRound.pairs(findings, nodes, peers,
                settings.attribution().goodPartners(), seed), settings.maxPairsAtOnce());
        for (Wave wave : second) {
            if (!replay.consume(wave)) {
                return new Step.RunWave(wave);
            }
        }
        List<Wave> third = WavePacker.pack(3, ThirdRound.pairs(findings, new TestIndex(judged(judge, replay)), nodes,
                attributed, peers, settings.attribution(), seed), settings.maxPairsAtOnce());
        for (Wave wave : third) {
            if (!replay.consume(wave)) {
                return new Step.RunWave(wave);
            }
        }
        replay.checkAllConsumed();

        List<JudgedLink> all = judged(judge, replay);
        FleetVerdicts verdicts = Attribution.conclude(fleet, stats, new TestIndex(all), findings, settings.attribution());
        int rounds = all.stream().mapToInt(JudgedLink::round).max().orElse(0);
        return new Step.Finished(new FleetReport(verdicts, rounds, replay.waves(), replay.pairTests(), all.size(), settings));
    }

    private static Optional<PlannedPair> oddPair(Matching matching, Replay replay, Map<String, TestNode> nodes,
                                                 List<String> rails, FleetSettings settings) {
        List<LinkMeasurement> soFar = replay.measured().stream().map(Replay.Measured::measurement).toList();
        return OddNode.pair(matching.oddNode(), soFar, nodes, rails, settings.judging(), settings.pairing().seed());
    }

    private static List<JudgedLink> judged(LinkJudge judge, Replay replay) {
        return replay.measured().stream().map(m -> judge.judge(m.round(), m.purpose(), m.measurement())).toList();
    }

    private static Map<String, Set<String>> peers(List<JudgedLink> roundOne) {
        Map<String, Set<String>> peers = new HashMap<>();
        for (JudgedLink t : roundOne) {
            peers.computeIfAbsent(t.server(), n -> new HashSet<>()).add(t.client());
            peers.computeIfAbsent(t.client(), n -> new HashSet<>()).add(t.server());
        }
        return peers;
    }
}
