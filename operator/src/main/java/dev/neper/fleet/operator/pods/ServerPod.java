package dev.neper.fleet.operator.pods;

import dev.neper.fleet.operator.api.Link;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.runner.contract.LinkSetCommand;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

import java.util.List;

/**
 * The server pod of a pair: receives on every link. Its readiness probe connects to the runner's
 * readiness port on loopback ({@link LinkSetCommand#READINESS_HOST}, the last link's control port
 * number), which the runner opens once every link listens or has failed to: a link that cannot bind
 * its address fails alone, its clients learn it at once, and the pair's other links are measured.
 * (hostNetwork: the kubelet's probe of loopback reaches the runner.)
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
                    .withHost(LinkSetCommand.READINESS_HOST)
                    .withPort(new IntOrString(RunnerCommand.of(test.getSpec(), links, Role.SERVER, 0).readinessPort()))
                .endTcpSocket()
                .withPeriodSeconds(PROBE_PERIOD_SECONDS)
                .withTimeoutSeconds(1)
                .withSuccessThreshold(1)
                .withFailureThreshold(1)
                .build();
    }
}
