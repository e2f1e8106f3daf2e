/**
 * Fleet validation's decisions as pure functions, with no Kubernetes types: which nodes are testable
 * ({@code eligibility}), how round 1 pairs them ({@code pairing}), whether a link passed ({@code judging}),
 * what the rounds' results say about nodes, devices, paths and rails ({@code attribution}), which pairs each
 * round and wave tests ({@code planning}: the controller's entry point, {@code FleetPlanner.next}), and the
 * compact status ({@code summary}). Randomness comes only from the seed in the settings.
 */
package dev.neper.fleet.operator.fleet;
