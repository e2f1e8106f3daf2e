package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.NeperTest;
import io.fabric8.kubernetes.api.model.Pod;

/** The client pod of a pair: sends on every link; created only once every live pair's server is ready. */
public final class ClientPod {
    private ClientPod() {
    }

    public static Pod desired(NeperTest test, int pairIndex, String defaultImage) {
        return RunnerPodTemplate.builder(test, pairIndex, Role.CLIENT, defaultImage).build();
    }
}
