package dev.neper.fleet.runner.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes the runner's JSON documents; readers ignore fields newer than they know. */
public final class ReportJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private ReportJson() {
    }

    public static String toJson(Object document) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (IOException e) {
            throw new IllegalStateException("report is not serializable", e);
        }
    }

    public static String toCompactJson(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new IllegalStateException("report is not serializable", e);
        }
    }

    public static <T> T fromJson(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /** Writes to a file, or to stdout for "-". */
    public static void write(Object document, String target) throws IOException {
        String json = toJson(document) + "\n";
        if (target.equals("-")) {
            OutputStream out = System.out;
            out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        } else {
            Files.writeString(Path.of(target), json);
        }
    }
}
