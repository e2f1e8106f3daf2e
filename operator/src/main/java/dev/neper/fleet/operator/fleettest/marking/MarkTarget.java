package dev.neper.fleet.operator.fleettest.marking;

import java.util.List;

/** What a node's marks should say after a step of a run. */
public sealed interface MarkTarget {
    /** Judged faulty and within the budget: faulty label and devices, condition False, the taint if asked. */
    record Faulty(String verdict, List<String> devices, String reason) implements MarkTarget {
    }

    /** Judged healthy: healthy label, condition True; the faulty devices label and the taint go. */
    record Healthy() implements MarkTarget {
    }

    /** Under test: the health label says testing (the other marks stay until the verdict). */
    record Testing() implements MarkTarget {
    }

    /** Not judged (skipped, unqualified, inconclusive, or over the budget): the health label as before the test. */
    record Restore() implements MarkTarget {
    }

    /** The fleet test is deleted: every mark of ours goes. */
    record ClearAll() implements MarkTarget {
    }
}
