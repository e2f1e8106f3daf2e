package dev.neper.fleet.operator.deploy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes API request as RBAC sees it: verb, API group, resource (with subresource), the object's
 * name (null for a collection), namespaced or not.
 */
record ApiCall(String verb, String group, String resource, String name, boolean namespaced) {

    /** Parses "GET /api/v1/namespaces/test/pods?watch=true" style requests; empty for non-resource paths. */
    static Optional<ApiCall> parse(String method, String target) {
        URI uri = URI.create(target);
        List<String> parts = Arrays.stream(uri.getPath().split("/")).filter(p -> !p.isEmpty()).toList();
        String group;
        int rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = 3;
        } else {
            return Optional.empty();
        }
        List<String> tail = parts.subList(rest, parts.size());
        boolean namespaced = tail.size() >= 3 && tail.get(0).equals("namespaces");
        if (namespaced) {
            tail = tail.subList(2, tail.size());
        }
        if (tail.isEmpty()) {
            return Optional.empty();
        }
        String resource = tail.get(0) + (tail.size() >= 3 ? "/" + tail.get(2) : "");
        boolean collection = tail.size() == 1;
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String verb = switch (method) {
            case "GET" -> collection ? (query.contains("watch=true") ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> collection ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return Optional.of(new ApiCall(verb, group, resource, collection ? null : tail.get(1), namespaced));
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + (name == null ? "" : " " + name)
                + (namespaced ? "" : " (cluster)");
    }
}
