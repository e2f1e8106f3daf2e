package dev.neper.fleet.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates NeperTest documents against the generated CRD's schema the way the API server does:
 * the OpenAPI part with a JSON-schema validator, then every x-kubernetes-validations rule with a CEL
 * evaluator, each at its own place in the document ({@code self} is the value there).
 */
public final class CrdSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();

    private final JsonNode openApi;
    private final Schema schema;

    private CrdSchema(JsonNode openApi) {
        this.openApi = openApi;
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(openApi);
    }

    public static CrdSchema load(Path crd) throws IOException {
        JsonNode root = YAML.readTree(crd.toFile());
        return new CrdSchema(root.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema"));
    }

    public static JsonNode yaml(String text) throws IOException {
        return YAML.readTree(text);
    }

    /** Every complaint, OpenAPI first, then CEL rule messages; empty when the document is valid. */
    public List<String> validate(JsonNode document) {
        List<String> problems = new ArrayList<>();
        schema.validate(document).forEach(error -> problems.add(error.getInstanceLocation() + ": " + error.getMessage()));
        rules(openApi, document, "$", problems);
        return problems;
    }

    public List<String> ruleTexts() {
        List<String> rules = new ArrayList<>();
        collectRules(openApi, rules);
        return rules;
    }

    private static void collectRules(JsonNode schema, List<String> rules) {
        schema.path("x-kubernetes-validations").forEach(rule -> rules.add(rule.path("rule").asText()));
        schema.path("properties").forEach(child -> collectRules(child, rules));
        if (schema.has("items")) {
            collectRules(schema.get("items"), rules);
        }
    }

    private static void rules(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String text = rule.path("rule").asText();
            String failure = check(text, value);
            if (failure != null) {
                problems.add(path + ": " + rule.path("message").asText(text) + failure);
            }
        }
        if (value.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                rules(property.getValue(), value.get(property.getKey()), path + "." + property.getKey(), problems);
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                rules(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    /**
     * Null when the rule holds; else "" or, when it could not be evaluated (duration('abc')), the
     * evaluation error: either way the object is refused, as in the API server.
     */
    private static String check(String rule, JsonNode value) {
        try {
            Object result = CEL.createProgram(CEL.compile(rule).getAst()).eval(Map.of("self", toCel(value)));
            return Boolean.TRUE.equals(result) ? null : "";
        } catch (Exception e) {
            return " (evaluation error: " + e.getMessage() + ")";
        }
    }

    /** JSON to CEL values: objects to maps, arrays to lists, integers to int64. */
    static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(toCel(e)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
