package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.Reason;

import java.time.Instant;
import java.util.List;

/**
 * What one reconcile decided for a running test: the pairs' new statuses, the pods to create, the
 * test's phase with its reason and message, and when to look again if nothing happens (a deadline).
 */
public record RunPlan(List<PairStatus> pairs, List<Integer> createServers, List<Integer> createClients,
                      boolean clientsStarted, TestPhase phase, Reason reason, String message, Instant wakeAt) {
}
