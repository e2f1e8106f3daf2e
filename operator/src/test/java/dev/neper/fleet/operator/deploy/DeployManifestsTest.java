package dev.neper.fleet.operator.deploy;

import dev.neper.fleet.operator.testing.Generated;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/ as kubectl apply -k would apply it: two operator replicas that elect a leader, kept apart. */
@Tag("unit")
class DeployManifestsTest {
    private static final Path DEPLOY = Generated.REPO.resolve("deploy");

    @Test
    void twoReplicasUnderTheRbacsServiceAccountWithADisruptionBudget() throws Exception {
        List<HasMetadata> objects = objects();
        Deployment deployment = only(objects, Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas(), "two replicas: one leads, the other takes over");
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertTrue(only(objects, RoleBinding.class).getSubjects().stream().anyMatch(s -> s.getName().equals(account)));
        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertEquals(1, budget.getSpec().getMinAvailable().getIntVal());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
    }

    /** Every resource the kustomization lists from this directory. */
    @SuppressWarnings("unchecked")
    private static List<HasMetadata> objects() throws Exception {
        Map<String, Object> kustomization = Serialization.unmarshal(Files.readString(DEPLOY.resolve("kustomization.yaml")),
                Map.class);
        List<HasMetadata> objects = new ArrayList<>();
        for (String file : (List<String>) kustomization.get("resources")) {
            if (file.startsWith("..")) {
                continue;
            }
            for (String document : Files.readString(DEPLOY.resolve(file)).split("(?m)^---$")) {
                objects.add(Serialization.unmarshal(document));
            }
        }
        return objects;
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName() + " in deploy/");
        return found.getFirst();
    }
}
