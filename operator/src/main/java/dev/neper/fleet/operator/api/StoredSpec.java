package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a NeperTest's (and a NeperFleetTest's) spec is read, so that one object this operator cannot read (a
 * mode, a field or a type from a newer CRD, or from an API server that checks no schema) does not fail the
 * informer that lists every one of them, which would stop the operator at startup. A spec that does not read
 * as a {@link NeperTestSpec} (or {@link NeperFleetTestSpec}) is kept as stored, with the problem named by field; the validator
 * refuses the test with it (InvalidSpec), and the spec is written back exactly as it was read, so a
 * copy of the resource (JOSDK clones each one it hands out through JSON) still carries the problem.
 *
 * <p>Unknown fields are refused too, at any depth: a field this operator does not know would
 * otherwise be dropped silently, and the test run other than asked.
 */
public record StoredSpec<S>(S spec, JsonNode unreadable, String problem) {
    /** For a parser without a mapper of its own (one reading a token buffer): the spec types are plain records. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** A resource whose spec is read this way: NeperTest and NeperFleetTest. */
    public interface Holder {
        StoredSpec<?> storedSpec();
    }

    static <S> StoredSpec<S> none() {
        return new StoredSpec<>(null, null, null);
    }

    static <S> StoredSpec<S> read(JsonNode stored, ObjectCodec codec, Class<S> type) {
        ObjectReader reader = switch (codec) {
            case ObjectMapper mapper -> mapper.readerFor(type);
            case ObjectReader r -> r.forType(type);
            case null, default -> PLAIN.readerFor(type);
        };
        try {
            return new StoredSpec<>(reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .without(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                    .readValue(stored), null, null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new StoredSpec<>(null, stored, describe(e));
        } catch (IOException e) {
            return new StoredSpec<>(null, stored, "spec: cannot be read: " + e.getMessage());
        }
    }

    /** "spec.flows: "two" is not a whole number", "spec.turbo: not a field this operator knows". */
    static String describe(Exception e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "spec: cannot be read: " + firstLine(e.getMessage());
        }
        String field = "spec" + mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        return switch (e) {
            case UnrecognizedPropertyException unknown -> field + ": not a field this operator knows (a newer CRD's?);"
                    + " known here: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            case InvalidFormatException format when format.getTargetType() != null
                    && format.getTargetType().isEnum() -> field + ": " + quote(format.getValue()) + " is not one of "
                    + Arrays.stream(format.getTargetType().getEnumConstants()).map(StoredSpec::enumName)
                    .collect(Collectors.joining(", "));
            case InvalidFormatException format -> field + ": " + quote(format.getValue()) + " is not "
                    + typeName(format.getTargetType());
            case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
                    field + ": not " + typeName(mismatch.getTargetType()) + " (" + firstLine(mapping.getOriginalMessage()) + ")";
            default -> field + ": " + firstLine(mapping.getOriginalMessage());
        };
    }

    private static String enumName(Object constant) {
        return constant instanceof Mode mode ? mode.argument() : String.valueOf(constant);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of the right type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** Reads the spec property: the spec, or, when it does not read, the stored form and the problem. */
    abstract static class SpecReader<S> extends StdDeserializer<StoredSpec<S>> {
        private final Class<S> type;

        SpecReader(Class<S> type) {
            super(StoredSpec.class);
            this.type = type;
        }

        @Override
        public StoredSpec<S> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return read(context.readTree(parser), parser.getCodec(), type);
        }
    }

    /** A NeperTest's spec. */
    public static final class Reader extends SpecReader<NeperTestSpec> {
        public Reader() {
            super(NeperTestSpec.class);
        }
    }

    /** A NeperFleetTest's spec. */
    public static final class FleetReader extends SpecReader<NeperFleetTestSpec> {
        public FleetReader() {
            super(NeperFleetTestSpec.class);
        }
    }

    /** Writes an unreadable spec back as it was stored (a readable one is written as usual). */
    public static final class Writer extends StdSerializer<Object> {
        public Writer() {
            super(Object.class);
        }

        @Override
        public void serialize(Object ignored, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (generator.currentValue() instanceof Holder holder && holder.storedSpec().unreadable() != null) {
                generator.writeTree(holder.storedSpec().unreadable());
            } else {
                generator.writeNull();
            }
        }
    }
}
