package dev.neper.fleet.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The rules deploy/rbac.yaml grants the operator: those of its namespace's Role and of its ClusterRole. */
public final class DeployedRbac {
    private DeployedRbac() {
    }

    /** One rule and where it applies: the operator's namespace (a Role) or everywhere (a ClusterRole). */
    public record Rule(PolicyRule rule, boolean namespaced) {
        public ResourceRule asResourceRule() {
            return new ResourceRuleBuilder().withApiGroups(rule.getApiGroups()).withResources(rule.getResources())
                    .withResourceNames(rule.getResourceNames()).withVerbs(rule.getVerbs()).build();
        }
    }

    public static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        try {
            for (String document : Files.readString(Generated.REPO.resolve("deploy/rbac.yaml")).split("(?m)^---$")) {
                HasMetadata object = Serialization.unmarshal(document);
                if (object instanceof Role role) {
                    role.getRules().forEach(r -> rules.add(new Rule(r, true)));
                } else if (object instanceof ClusterRole clusterRole) {
                    clusterRole.getRules().forEach(r -> rules.add(new Rule(r, false)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }
}
