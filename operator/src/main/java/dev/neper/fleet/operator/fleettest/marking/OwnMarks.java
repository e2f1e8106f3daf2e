package dev.neper.fleet.operator.fleettest.marking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node's {@value NodeMarks#OWN} annotation records: the fleet test (namespace/name) whose marks
 * these are, the run that set them, the health it gave (and the one before "testing"), and which marks
 * are ours: label keys, whether the condition and the taint are. Marks it does not list are someone
 * else's and never touched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwnMarks(String owner, String run, String health, String previous, List<String> labels, boolean condition,
                       boolean taint) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public OwnMarks {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** The node's record, empty when it has none; one that does not read is treated as none of ours. */
    public static Optional<OwnMarks> of(Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(NodeMarks.OWN);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(text, OwnMarks.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marked faulty by its owner, or so before the run testing it now. */
    public boolean faulty() {
        return NodeMarks.FAULTY.equals(health) || NodeMarks.TESTING.equals(health) && NodeMarks.FAULTY.equals(previous);
    }
}
