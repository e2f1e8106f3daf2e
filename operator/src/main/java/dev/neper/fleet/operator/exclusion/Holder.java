package dev.neper.fleet.operator.exclusion;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** What holds or wants nodes: a NeperTest or a NeperFleetTest, by kind and name (a ResourceID alone has no kind). */
public record Holder(String kind, ResourceID id) {
    public static Holder of(HasMetadata resource) {
        return new Holder(resource.getKind(), ResourceID.fromResource(resource));
    }

    /** "namespace/name" */
    public String name() {
        return id.getNamespace().map(ns -> ns + "/").orElse("") + id.getName();
    }

    /** "NeperFleetTest namespace/name" */
    public String describe() {
        return kind + " " + name();
    }
}
