package dev.neper.fleet.operator.pods;

import java.util.Locale;

/** A runner pod's side of a pair. */
public enum Role {
    SERVER, CLIENT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromLabel(String value) {
        return value == null ? null : switch (value) {
            case "server" -> SERVER;
            case "client" -> CLIENT;
            default -> null;
        };
    }
}
