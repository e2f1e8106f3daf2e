package dev.neper.fleet.operator.status;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.metrics.TestMetrics;
import dev.neper.fleet.operator.record.StatusPolicy;

/** How the status recorder treats NeperTests: their transitions, and the metrics a write updates. */
public final class TestStatusPolicy implements StatusPolicy<NeperTest, NeperTestStatus, TestTransition> {
    private final TestMetrics metrics;

    public TestStatusPolicy(TestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public TestTransition transition(NeperTestStatus before, NeperTestStatus after) {
        return TestTransition.between(before, after);
    }

    @Override
    public void written(NeperTest test, TestTransition transition, NeperTestStatus status) {
        if (transition.runReset()) {
            metrics.forget(test.getMetadata().getUid());
        }
        if (transition.ended()) {
            metrics.completed(status);
        }
        metrics.linkResults(test, status);
        metrics.statusWritten();
    }

    @Override
    public NeperTestStatus empty(NeperTest test) {
        return NeperTestStatus.builder().observedGeneration(test.getMetadata().getGeneration()).build();
    }
}
