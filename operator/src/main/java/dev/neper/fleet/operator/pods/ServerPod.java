package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.NeperTest;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

import java.util.List;

/**
 * The server pod of a pair: receives on every link. Its readiness probe connects to the last link's
 * control port on the last link's server address; the runner opens links in order, each after the
 * previous one listens, so that port answering means every link listens. (The probe connects and
 * closes without a byte, which the runner counts as a probe, not as a bad client.)
 */
public final class ServerPod {
    static final int PROBE_PERIOD_SECONDS = 1;

    private ServerPod() {
    }

    public static Pod desired(NeperTest test, int pairIndex, String defaultImage) {
        Pod pod = RunnerPodTemplate.builder(test, pairIndex, Role.SERVER, defaultImage).build();
        pod.getSpec().getContainers().getFirst().setReadinessProbe(readinessProbe(test, pairIndex));
        return pod;
    }

    static Probe readinessProbe(NeperTest test, int pairIndex) {
        List<Link> links = test.getSpec().pairList().get(pairIndex).linkList();
        return new ProbeBuilder()
                .withNewTcpSocket()
                    .withHost(links.getLast().serverIP())
                    .withPort(new IntOrString(RunnerCommand.readinessPort(test.getSpec(), links.size())))
                .endTcpSocket()
                .withPeriodSeconds(PROBE_PERIOD_SECONDS)
                .withTimeoutSeconds(1)
                .withSuccessThreshold(1)
                .withFailureThreshold(1)
                .build();
    }
}
