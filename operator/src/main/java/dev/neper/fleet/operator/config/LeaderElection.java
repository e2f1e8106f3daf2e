package dev.neper.fleet.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JOSDK's leader election for the operator's replicas, from {@link OperatorConfig.LeaderElection}: a
 * replica reconciles only while it holds the Lease, and one that loses it exits (to be restarted), so
 * two never reconcile at once. The exit is this class's rather than JOSDK's: JOSDK 5.3 also exits when
 * the operator is being stopped (its own stop cancels the election), which on a SIGTERM blocks the
 * shutdown hook that is stopping it, and in a test ends the test JVM. JOSDK's builder refuses to turn
 * its exit off outside tests, hence the (deprecated) constructor. Quarkus activates leader election in
 * the prod and test profiles (application.properties), not in dev mode.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final AtomicBoolean stopping;

    @Inject
    public LeaderElection(OperatorConfig config) {
        this(config.leaderElection(), new AtomicBoolean());
    }

    @SuppressWarnings("deprecation")
    private LeaderElection(OperatorConfig.LeaderElection config, AtomicBoolean stopping) {
        super(config.leaseName(), null, config.leaseDuration(), config.renewDeadline(), config.retryPeriod(),
                config.identity().orElse(null), new LeaderCallbacks(
                        () -> LOG.info("this replica leads: it reconciles from now on"),
                        () -> stoppedLeading(stopping),
                        leader -> LOG.infof("the leader is %s", leader)),
                false);
        this.stopping = stopping;
    }

    /** Runs before the operator SDK stops the operator (its observer has the default, later, priority). */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping.set(true);
    }

    private static void stoppedLeading(AtomicBoolean stopping) {
        if (!stopping.get()) {
            LOG.error("this replica lost the lead (its Lease was not renewed in time): exiting, so that two replicas"
                    + " never reconcile at once");
            System.exit(1);
        }
    }
}
