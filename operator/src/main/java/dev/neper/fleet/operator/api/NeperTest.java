package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.Optional;

/**
 * A TCPDevmem (or plain TCP) throughput test between node pairs, link by link: the operator runs
 * one runner pod per server node and per client node and reports per-link results in the status.
 */
@Group(NeperTest.GROUP)
@Version(NeperTest.VERSION)
@ShortNames("nt")
@JsonClassDescription("A throughput test between node pairs, link by link, with neper's tcp_stream semantics")
@ValidationRule(value = "self.metadata.name.size() <= 63",
        message = "a NeperTest name has at most 63 characters: it becomes a label value on its pods")
@ValidationRule(value = "has(self.spec) && has(self.spec.pairs)", message = "spec.pairs is required: the node pairs to test")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Links", jsonPath = ".status.summary.links",
        getDescription = "links passed / links in the test")
@AdditionalPrinterColumn(name = "Min Gbit/s", jsonPath = ".status.summary.minGbps",
        type = AdditionalPrinterColumn.Type.NUMBER, getDescription = "lowest receiver throughput of a measured link")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NeperTest extends CustomResource<NeperTestSpec, NeperTestStatus> implements Namespaced, StoredSpec.Holder {
    public static final String GROUP = "neper.dev";
    public static final String VERSION = "v1alpha1";

    @JsonIgnore
    private StoredSpec<NeperTestSpec> stored = StoredSpec.none();

    /** The spec as read ({@link StoredSpec}): when this operator cannot read it, {@link #getSpec()} is null. */
    @JsonIgnore
    @Override
    public StoredSpec<NeperTestSpec> storedSpec() {
        return stored;
    }

    /** Why the stored spec does not read as a spec of this operator's, naming the field; empty when it does. */
    @JsonIgnore
    public Optional<String> specProblem() {
        return Optional.ofNullable(stored.problem());
    }

    @JsonSetter("spec")
    @JsonDeserialize(using = StoredSpec.Reader.class)
    private void readSpec(StoredSpec<NeperTestSpec> read) {
        stored = read == null ? StoredSpec.none() : read;
        super.setSpec(stored.spec());
    }

    @Override
    public void setSpec(NeperTestSpec spec) {
        stored = StoredSpec.none();
        super.setSpec(spec);
    }

    @Override
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonSerialize(nullsUsing = StoredSpec.Writer.class)
    public NeperTestSpec getSpec() {
        return super.getSpec();
    }
}
