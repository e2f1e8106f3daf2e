package dev.neper.fleet.operator.fleet.wave;

/**
 * What one planned link did.
 *
 * @param server    the pair's server node
 * @param client    the pair's client node
 * @param device    the link's device
 * @param gbps      the receiver's throughput in Gbit/s, or null when the link has none
 * @param errorKind why the link failed to run (the runner's error kind, or the controller's own such as
 *                  a pod that never started), or null when it ran
 * @param error     the error's message, or null
 */
public record LinkMeasurement(String server, String client, String device, Double gbps, String errorKind, String error) {

    public static LinkMeasurement of(String server, String client, String device, double gbps) {
        return new LinkMeasurement(server, client, device, gbps, null, null);
    }

    public static LinkMeasurement failed(String server, String client, String device, String errorKind, String error) {
        return new LinkMeasurement(server, client, device, null, errorKind, error);
    }
}
