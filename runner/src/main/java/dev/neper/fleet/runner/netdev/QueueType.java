package dev.neper.fleet.runner.netdev;

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

    public static QueueType of(int value) {
        return value == 1 ? TX : RX;
    }
}
