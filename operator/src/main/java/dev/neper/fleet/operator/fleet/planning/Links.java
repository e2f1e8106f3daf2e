package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.eligibility.TestNode;
import dev.neper.fleet.operator.fleet.wave.PlannedLink;
import dev.neper.fleet.operator.fleet.wave.PlannedPair;
import dev.neper.fleet.operator.fleet.wave.Purpose;

import java.util.Collection;
import java.util.List;

/** A planned pair over some rails, addresses from eligibility (one subnet per rail, so always reachable). */
final class Links {
    private Links() {
    }

    static PlannedPair pair(TestNode server, TestNode client, Collection<String> rails, Purpose purpose) {
        List<PlannedLink> links = rails.stream()
                .map(rail -> new PlannedLink(rail, server.addresses().get(rail), client.addresses().get(rail))).toList();
        return new PlannedPair(server.name(), client.name(), links, purpose);
    }
}
