package dev.neper.fleet.operator.events;

import dev.neper.fleet.operator.api.Reason;

/** One Kubernetes Event to record on a resource: its reason (which gives its type) and message. */
public record Notice(Reason reason, String message) {
}
