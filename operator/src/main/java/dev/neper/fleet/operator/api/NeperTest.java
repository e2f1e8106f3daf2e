package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

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
public class NeperTest extends CustomResource<NeperTestSpec, NeperTestStatus> implements Namespaced {
    public static final String GROUP = "neper.dev";
    public static final String VERSION = "v1alpha1";
}
