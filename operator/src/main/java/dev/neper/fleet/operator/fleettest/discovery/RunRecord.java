package dev.neper.fleet.operator.fleettest.discovery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.pods.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A run's record, written once at the end of discovery: the eligible fleet (every tested node's rack and
 * address per rail, every untested node's verdict), in a ConfigMap the fleet test owns, as gzip'd JSON
 * (about 20 bytes per node and rail: 160 KB at 5,000 nodes x 8 rails, well under a ConfigMap's 1 MiB).
 * With the child NeperTests' results it is all the run needs to replay after an operator restart, and all
 * a report needs besides the status.
 */
public final class RunRecord {
    public static final String KEY = "eligible-fleet.json.gz";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What the ConfigMap holds, versioned. */
    record Document(int version, String runId, EligibleFleet fleet) {
    }

    private RunRecord() {
    }

    public static String name(NeperFleetTest fleet, String runId) {
        return fleet.getMetadata().getName() + "-" + runId;
    }

    public static ConfigMap of(NeperFleetTest fleet, String runId, EligibleFleet eligible) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(FleetLabels.COMPONENT, FleetLabels.RECORD);
        labels.put(FleetLabels.FLEET_TEST, fleet.getMetadata().getName());
        labels.put(FleetLabels.RUN, runId);
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(name(fleet, runId))
                    .withNamespace(fleet.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(fleet.getApiVersion())
                            .withKind(fleet.getKind()).withName(fleet.getMetadata().getName())
                            .withUid(fleet.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
                            .build())
                .endMetadata()
                .withImmutable(true)
                .withBinaryData(Map.of(KEY, Base64.getEncoder().encodeToString(encode(new Document(VERSION, runId,
                        eligible)))))
                .build();
    }

    /** The eligible fleet a record holds. */
    public static EligibleFleet read(ConfigMap record) {
        String data = record.getBinaryData() == null ? null : record.getBinaryData().get(KEY);
        if (data == null) {
            throw new IllegalArgumentException("ConfigMap " + record.getMetadata().getName() + " has no " + KEY);
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(data)))) {
            Document document = JSON.readValue(in, Document.class);
            if (document.version() != VERSION || document.fleet() == null) {
                throw new IllegalArgumentException("ConfigMap " + record.getMetadata().getName() + " holds record version "
                        + document.version() + ", this operator reads " + VERSION);
            }
            return document.fleet();
        } catch (IOException e) {
            throw new IllegalArgumentException("ConfigMap " + record.getMetadata().getName() + " is not a run record: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] encode(Document document) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            JSON.writeValue(out, document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
