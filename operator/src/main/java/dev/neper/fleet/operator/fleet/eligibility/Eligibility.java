package dev.neper.fleet.operator.fleet.eligibility;

import dev.neper.fleet.operator.fleet.eligibility.PreVerdict.Kind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which observed nodes get traffic tests. A node is Skipped when it is not Ready, cordoned or excluded;
 * Unqualified when its preflight failed or a selected device is missing, has no usable address, shares
 * its address with another node, or sits outside the subnet most nodes use on that rail. The last rule is
 * what keeps every planned link reachable: all tested nodes share one subnet per rail, so no pair is ever
 * planned between addresses that cannot reach each other, and the odd node gets a verdict that names it.
 */
public final class Eligibility {
    private Eligibility() {
    }

    private record Address(String literal, Subnet subnet) {
    }

    public static EligibleFleet assess(DeviceSelection selection, List<ObservedNode> observed) {
        List<ObservedNode> sorted = new ArrayList<>(observed);
        sorted.sort(Comparator.comparing(ObservedNode::name));
        Set<String> names = new HashSet<>();
        for (ObservedNode node : sorted) {
            if (!names.add(node.name())) {
                throw new IllegalArgumentException("node " + node.name() + " observed twice");
            }
        }
        List<String> rails = selection.rails(sorted);
        List<PreVerdict> preVerdicts = new ArrayList<>();
        Map<ObservedNode, Map<String, Address>> candidates = new LinkedHashMap<>();
        for (ObservedNode node : sorted) {
            Optional<PreVerdict> verdict = beforeAddresses(node, rails);
            if (verdict.isPresent()) {
                preVerdicts.add(verdict.get());
                continue;
            }
            Map<String, Address> addresses = new TreeMap<>();
            PreVerdict unusable = null;
            for (String rail : rails) {
                ObservedDevice device = device(node, rail).orElseThrow();
                try {
                    addresses.put(rail, new Address(device.address(), Subnet.of(device.address(), device.prefixLength())));
                } catch (IllegalArgumentException e) {
                    unusable = unqualified(node, rail, rail + " address " + device.address() + "/" + device.prefixLength()
                            + " is not usable: " + e.getMessage());
                    break;
                }
            }
            if (unusable != null) {
                preVerdicts.add(unusable);
            } else {
                candidates.put(node, addresses);
            }
        }
        List<TestNode> testable = new ArrayList<>();
        Map<String, Subnet> railSubnets = new HashMap<>();
        Map<String, Long> railSubnetSizes = new HashMap<>();
        for (String rail : rails) {
            Map<Subnet, Long> sizes = new TreeMap<>(Comparator.comparing(Subnet::network));
            candidates.values().forEach(a -> sizes.merge(a.get(rail).subnet(), 1L, Long::sum));
            sizes.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> {
                railSubnets.put(rail, e.getKey());
                railSubnetSizes.put(rail, e.getValue());
            });
        }
        Map<String, Map<String, List<String>>> holders = addressHolders(rails, candidates);
        for (Map.Entry<ObservedNode, Map<String, Address>> candidate : candidates.entrySet()) {
            ObservedNode node = candidate.getKey();
            PreVerdict unreachable = null;
            Map<String, String> literals = new TreeMap<>();
            for (String rail : rails) {
                Address address = candidate.getValue().get(rail);
                List<String> sharing = holders.get(rail).get(address.literal());
                if (!address.subnet().equals(railSubnets.get(rail))) {
                    unreachable = unqualified(node, rail, rail + " address " + address.literal() + " is in "
                            + address.subnet() + ", not in rail " + rail + "'s subnet " + railSubnets.get(rail)
                            + " (" + railSubnetSizes.get(rail) + " of " + candidates.size()
                            + " nodes): its peers on " + rail + " cannot reach it");
                    break;
                }
                if (sharing.size() > 1) {
                    unreachable = unqualified(node, rail, rail + " address " + address.literal() + " is also on "
                            + String.join(", ", sharing.stream().filter(n -> !n.equals(node.name())).toList()));
                    break;
                }
                literals.put(rail, address.literal());
            }
            if (unreachable != null) {
                preVerdicts.add(unreachable);
            } else {
                testable.add(new TestNode(node.name(), node.rack(), literals));
            }
        }
        preVerdicts.sort(Comparator.comparing(PreVerdict::node));
        return new EligibleFleet(rails, testable, preVerdicts);
    }

    private static Optional<PreVerdict> beforeAddresses(ObservedNode node, List<String> rails) {
        if (!node.ready()) {
            return Optional.of(new PreVerdict(node.name(), Kind.Skipped, null, "node is not Ready"));
        }
        if (node.cordoned()) {
            return Optional.of(new PreVerdict(node.name(), Kind.Skipped, null, "node is cordoned"));
        }
        if (node.excluded()) {
            return Optional.of(new PreVerdict(node.name(), Kind.Skipped, null, "node is excluded by the fleet test"));
        }
        if (node.preflightFailure() != null) {
            return Optional.of(unqualified(node, null, "preflight failed: " + node.preflightFailure()));
        }
        if (rails.isEmpty()) {
            return Optional.of(unqualified(node, null, "no selected device on any node"));
        }
        for (String rail : rails) {
            Optional<ObservedDevice> device = device(node, rail);
            if (device.isEmpty()) {
                return Optional.of(unqualified(node, rail, "lacks selected device " + rail));
            }
            if (device.get().address() == null) {
                return Optional.of(unqualified(node, rail, rail + " has no address"));
            }
            if (device.get().prefixLength() == null) {
                return Optional.of(unqualified(node, rail, rail + " address " + device.get().address()
                        + " has no prefix length, so its subnet is unknown"));
            }
        }
        return Optional.empty();
    }

    private static Map<String, Map<String, List<String>>> addressHolders(
            List<String> rails, Map<ObservedNode, Map<String, Address>> candidates) {
        Map<String, Map<String, List<String>>> holders = new HashMap<>();
        for (String rail : rails) {
            Map<String, List<String>> byAddress = new HashMap<>();
            candidates.forEach((node, addresses) -> byAddress
                    .computeIfAbsent(addresses.get(rail).literal(), a -> new ArrayList<>()).add(node.name()));
            holders.put(rail, byAddress);
        }
        return holders;
    }

    private static Optional<ObservedDevice> device(ObservedNode node, String rail) {
        return node.devices().stream().filter(d -> d.name().equals(rail)).findFirst();
    }

    private static PreVerdict unqualified(ObservedNode node, String device, String reason) {
        return new PreVerdict(node.name(), Kind.Unqualified, device, reason);
    }
}
