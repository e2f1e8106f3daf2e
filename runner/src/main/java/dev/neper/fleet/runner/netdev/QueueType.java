package dev.neper.fleet.runner.netdev;

import java.util.Arrays;
import java.util.Optional;

/** netdev queue types (NETDEV_QUEUE_TYPE_*). */
public enum QueueType {
    RX(0), TX(1);

    private final int value;

    QueueType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The type with this value; empty for a value this runner does not know (a newer kernel's type). */
    public static Optional<QueueType> of(int value) {
        return Arrays.stream(values()).filter(t -> t.value == value).findFirst();
    }
}
