package dev.neper.fleet.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Renders docs/nepertest.md, the field reference, from the generated CRD: every field with its type, default, limits and description. */
public final class FieldReference {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FieldReference() {
    }

    public static String render(Path crd) throws IOException {
        return render(crd, "How a test runs: [operator.md](operator.md).", Map.of());
    }

    /**
     * @param how       a sentence linking to the page that explains the resource
     * @param collapsed fields shown as one row with this note instead of their own fields (a type documented
     *                  in another reference)
     */
    public static String render(Path crd, String how, Map<String, String> collapsed) throws IOException {
        JsonNode root = YAML.readTree(crd.toFile());
        JsonNode version = root.path("spec").path("versions").get(0);
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        JsonNode names = root.path("spec").path("names");
        String kind = names.path("kind").asText();
        StringBuilder out = new StringBuilder();
        out.append("# ").append(kind).append(" reference\n\n")
                .append("<!-- Generated from crds/").append(crd.getFileName()).append(" by FieldReferenceTest; do not edit:"
                        + " change the Java model's descriptions and run bin/update-generated. -->\n\n")
                .append("`apiVersion: ").append(root.path("spec").path("group").asText()).append("/")
                .append(version.path("name").asText()).append("`, `kind: ").append(kind).append("`, namespaced (short name `")
                .append(names.path("shortNames").get(0).asText()).append("`). ")
                .append("Examples: [docs/examples](examples). ").append(how).append("\n\n")
                .append("`kubectl get ").append(names.path("singular").asText()).append("` prints ");
        List<String> columns = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()
                + " (`" + c.path("jsonPath").asText() + "`)"));
        out.append(String.join(", ", columns)).append(".\n");
        for (String part : List.of("spec", "status")) {
            out.append("\n## ").append(part).append("\n\n");
            out.append(part.equals("spec")
                    ? "Fields without a default are optional unless marked required. Rules checked at apply time"
                    + " (CEL) are listed under the object they apply to.\n\n"
                    : "Written by the operator only.\n\n");
            out.append("| Field | Type | Default | Limits | Description |\n|---|---|---|---|---|\n");
            JsonNode node = schema.path("properties").path(part);
            List<String> rules = new ArrayList<>();
            rows(node, part, out, rules, collapsed);
            if (!rules.isEmpty()) {
                out.append("\nRules:\n\n");
                rules.forEach(r -> out.append("- ").append(r).append('\n'));
            }
        }
        List<String> rootRules = new ArrayList<>();
        schema.path("x-kubernetes-validations").forEach(r -> rootRules.add("`metadata`: " + r.path("message").asText()));
        if (!rootRules.isEmpty()) {
            out.append("\nOn the whole object:\n\n");
            rootRules.forEach(r -> out.append("- ").append(r).append('\n'));
        }
        return out.toString();
    }

    private static void rows(JsonNode node, String path, StringBuilder out, List<String> rules,
                             Map<String, String> collapsed) {
        node.path("x-kubernetes-validations").forEach(r -> rules.add("`" + path + "`: " + r.path("message").asText()
                + " (`" + r.path("rule").asText() + "`)"));
        Set<String> required = new TreeSet<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        Iterator<Map.Entry<String, JsonNode>> properties = node.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            JsonNode field = property.getValue();
            String fieldPath = path + "." + property.getKey();
            out.append("| `").append(fieldPath).append("`").append(required.contains(property.getKey()) ? " (required)" : "")
                    .append(" | ").append(type(field))
                    .append(" | ").append(field.has("default") ? "`" + field.get("default").asText() + "`" : "")
                    .append(" | ").append(limits(field))
                    .append(" | ").append(cell(field.path("description").asText("")
                            + (collapsed.containsKey(fieldPath) ? " " + collapsed.get(fieldPath) : "")))
                    .append(" |\n");
            if (collapsed.containsKey(fieldPath)) {
                continue;
            }
            if (field.path("type").asText().equals("array") && field.has("items")) {
                field.path("x-kubernetes-validations").forEach(r -> rules.add("`" + fieldPath + "`: "
                        + r.path("message").asText() + " (`" + r.path("rule").asText() + "`)"));
                rows(field.get("items"), fieldPath + "[]", out, rules, collapsed);
            } else if (field.has("properties")) {
                rows(field, fieldPath, out, rules, collapsed);
            }
        }
    }

    private static String type(JsonNode field) {
        String type = field.path("type").asText();
        if (type.equals("array")) {
            return "array of " + field.path("items").path("type").asText();
        }
        return type;
    }

    private static String limits(JsonNode field) {
        List<String> limits = new ArrayList<>();
        if (field.has("enum")) {
            List<String> values = new ArrayList<>();
            field.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            limits.add("one of " + String.join(", ", values));
        }
        if (field.has("minimum")) {
            limits.add("≥ " + number(field.get("minimum")));
        }
        if (field.has("maximum")) {
            limits.add("≤ " + number(field.get("maximum")));
        }
        if (field.has("minItems") || field.has("maxItems")) {
            limits.add(field.path("minItems").asText("0") + " to " + field.path("maxItems").asText("any") + " items");
        }
        if (field.has("maxLength")) {
            limits.add("at most " + field.get("maxLength").asText() + " characters");
        }
        if (field.has("pattern")) {
            limits.add("matches `" + field.get("pattern").asText().replace("|", "\\|") + "`");
        }
        return String.join("; ", limits);
    }

    private static String number(JsonNode value) {
        double v = value.asDouble();
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
