package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.Optional;

/**
 * A fleet run: the operator discovers the selected nodes' devices, pairs the nodes rail by rail, runs
 * each wave as a child NeperTest, re-tests suspects against known-good nodes and names the faulty
 * nodes, devices, paths and rails in the status.
 */
@Group(NeperTest.GROUP)
@Version(NeperTest.VERSION)
@ShortNames("nft")
@JsonClassDescription("A fleet run: every selected node's links tested rail by rail, faults named node, device, path and rail")
@ValidationRule(value = "self.metadata.name.size() <= " + NeperFleetTest.MAX_NAME,
        message = "a NeperFleetTest name has at most " + NeperFleetTest.MAX_NAME + " characters: its child NeperTests"
                + " are named <name>-<run id>-r<round>w<wave>-p<part>, and a NeperTest name has at most 63")
// the template is a NeperTest's spec without its pairs: the run plans them
@SchemaSwap(originalType = NeperTestSpec.class, fieldName = "pairs", targetType = void.class)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Healthy/Total", jsonPath = ".status.healthy",
        getDescription = "healthy nodes / selected nodes")
@AdditionalPrinterColumn(name = "Faulty", jsonPath = ".status.faults", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "faults named: faulty nodes, paths and rails")
@AdditionalPrinterColumn(name = "Last Result", jsonPath = ".status.lastResult",
        getDescription = "how the last run ended: Completed (healthy), FaultsFound, Inconclusive, or why it failed")
@AdditionalPrinterColumn(name = "Next Run", jsonPath = ".status.nextRunTime",
        getDescription = "when the next scheduled run starts (UTC)")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NeperFleetTest extends CustomResource<NeperFleetTestSpec, NeperFleetTestStatus>
        implements Namespaced, StoredSpec.Holder {
    /** 63, less "-20260115-020000-r3w12-p25": the longest suffix of a child's name. */
    public static final int MAX_NAME = 36;

    @JsonIgnore
    private StoredSpec<NeperFleetTestSpec> stored = StoredSpec.none();

    /**
     * The spec as read ({@link StoredSpec}, as a NeperTest's): one this operator cannot read leaves
     * {@link #getSpec()} null and the fleet test is refused as InvalidSpec naming the field.
     */
    @JsonIgnore
    @Override
    public StoredSpec<NeperFleetTestSpec> storedSpec() {
        return stored;
    }

    /** Why the stored spec does not read as a spec of this operator's, naming the field; empty when it does. */
    @JsonIgnore
    public Optional<String> specProblem() {
        return Optional.ofNullable(stored.problem());
    }

    @JsonSetter("spec")
    @JsonDeserialize(using = StoredSpec.FleetReader.class)
    private void readSpec(StoredSpec<NeperFleetTestSpec> read) {
        stored = read == null ? StoredSpec.none() : read;
        super.setSpec(stored.spec());
    }

    @Override
    public void setSpec(NeperFleetTestSpec spec) {
        stored = StoredSpec.none();
        super.setSpec(spec);
    }

    @Override
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonSerialize(nullsUsing = StoredSpec.Writer.class)
    public NeperFleetTestSpec getSpec() {
        return super.getSpec();
    }
}
