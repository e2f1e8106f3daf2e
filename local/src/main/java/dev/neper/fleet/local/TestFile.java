package dev.neper.fleet.local;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A NeperTest file as the local fleet takes it: one YAML document holding one NeperTest of this
 * operator's API version, with a name. Anything else is refused with one line saying what is wrong
 * and what is expected, before a fleet is started.
 */
final class TestFile {
    static final String API_VERSION = LocalFleet.NEPERTESTS.getGroup() + "/" + LocalFleet.NEPERTESTS.getVersion();
    static final String KIND = LocalFleet.NEPERTESTS.getKind();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Why a file is not a NeperTest the fleet can apply, in one line. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private TestFile() {
    }

    /** The NeperTest in {@code text}; {@code source} names the file in messages. */
    static GenericKubernetesResource parse(String text, String source) throws Refused {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            for (JsonNode document = YAML.readTree(parser); document != null; document = YAML.readTree(parser)) {
                if (!document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (JsonProcessingException e) {
            throw new Refused(source + " is not valid YAML" + at(e.getLocation()) + ": " + problem(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw new Refused(source + " cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (documents.isEmpty()) {
            throw new Refused(source + " is empty: it needs one NeperTest (apiVersion: " + API_VERSION + ", kind: "
                    + KIND + ")");
        }
        if (documents.size() > 1) {
            throw new Refused(source + " holds " + documents.size() + " YAML documents: it needs exactly one, a NeperTest");
        }
        JsonNode test = documents.getFirst();
        if (!test.isObject()) {
            throw new Refused(source + " holds a YAML " + (test.isArray() ? "list" : "value") + ", not a NeperTest"
                    + " (a mapping with apiVersion: " + API_VERSION + " and kind: " + KIND + ")");
        }
        expect(test, "apiVersion", API_VERSION, source);
        expect(test, "kind", KIND, source);
        JsonNode name = test.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw new Refused(source + ": metadata.name is missing: a NeperTest needs a name");
        }
        try {
            return SERIALIZATION.convertValue(test, GenericKubernetesResource.class);
        } catch (RuntimeException e) {
            throw new Refused(source + " is not a Kubernetes object: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void expect(JsonNode test, String field, String expected, String source) throws Refused {
        JsonNode value = test.get(field);
        if (value == null || !value.isTextual()) {
            throw new Refused(source + ": " + field + " is missing; expected " + field + ": " + expected);
        }
        if (!value.asText().equals(expected)) {
            throw new Refused(source + ": " + field + " is " + value.asText() + ", expected " + expected
                    + (field.equals("apiVersion") ? " (the version this operator serves)" : ""));
        }
    }

    /** SnakeYAML's message without its excerpt and positions: "while parsing a flow mapping; expected ',' or '}'..." */
    private static String problem(String message) {
        return message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).collect(java.util.stream.Collectors.joining("; "));
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
