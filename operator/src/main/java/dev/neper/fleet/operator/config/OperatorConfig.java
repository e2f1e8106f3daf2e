package dev.neper.fleet.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Operator settings (application.properties, or NEPER_* environment variables). */
@ConfigMapping(prefix = "neper")
public interface OperatorConfig {

    Runner runner();

    Status status();

    Waiting waiting();

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
}
