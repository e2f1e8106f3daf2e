package dev.neper.fleet.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Operator settings (application.properties, or NEPER_* environment variables). */
@ConfigMapping(prefix = "neper")
public interface OperatorConfig {

    Runner runner();

    Status status();

    Waiting waiting();

    LeaderElection leaderElection();

    interface Runner {
        /** Image of runner pods whose spec names none. */
        String image();
    }

    interface Status {
        /**
         * Least time between two status writes of one NeperTest: changes arriving faster are folded
         * into the next write, so 100 pods changing at once cost one write, not 100.
         */
        @WithDefault("1s")
        Duration minWriteInterval();
    }

    interface Waiting {
        /** How often a test waiting for another test's nodes looks again (it is also woken when nodes are released). */
        @WithDefault("5s")
        Duration pollInterval();
    }

    /**
     * The Lease (coordination.k8s.io) that makes one replica the leader: only the leader reconciles,
     * and another takes over once the leader stops renewing it. The durations are client-go's defaults.
     */
    interface LeaderElection {
        /** The Lease's name, in the operator's namespace. */
        @WithDefault("neper-fleet-operator")
        String leaseName();

        /** How long a lease not renewed keeps others out: the longest takeover after a leader dies. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps trying to renew before it gives up leading (and exits, to be restarted). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often candidates try to acquire, and the leader to renew. */
        @WithDefault("2s")
        Duration retryPeriod();

        /** This replica's name in the Lease; by default the pod's name (HOSTNAME), else a random one. */
        Optional<String> identity();
    }
}
