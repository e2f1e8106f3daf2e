package dev.neper.fleet.operator.testing;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

import java.util.function.Consumer;

/**
 * The tests' API server (the Fabric8 mock in CRUD mode) made to answer what it does not store: a
 * SelfSubjectRulesReview, which JOSDK's leader election asks before it takes the Lease, is answered
 * with the rules deploy/rbac.yaml grants, as a cluster that applied deploy/ would.
 */
public final class TestApiServer implements Consumer<KubernetesServer> {
    public static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    @Override
    public void accept(KubernetesServer server) {
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                    .withIncomplete(false)
                    .withResourceRules(DeployedRbac.rules().stream().map(DeployedRbac.Rule::asResourceRule).toList())
                .endStatus()
                .build();
        server.expect().post().withPath(RULES_REVIEWS).andReturn(201, review).always();
    }
}
