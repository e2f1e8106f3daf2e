package dev.neper.fleet.runner.nic;

/**
 * One setting a run changed on a NIC, with what it was before: enough to undo it, also from another
 * process that finds it in a record file. {@code setting} names the kind, {@code key} the item (a
 * feature or flag name, a rule location), {@code original} the value to put back.
 */
public record NicChange(Setting setting, String key, String original) {
    public enum Setting {
        /** rings tcp-data-split; original is the u8 value RINGS_GET reported (0, auto, when it reported none). */
        TCP_DATA_SPLIT,
        /** rings hds-thresh; original is the u32 value. */
        HDS_THRESHOLD,
        /** a feature by name; original is true/false. */
        FEATURE,
        /** a private flag by name; original is true/false. */
        PRIVATE_FLAG,
        /** the RSS indirection table; original is the comma-separated table, or "default" for the default spread (undone by a reset). */
        RSS_INDIRECTION,
        /** an ntuple rule the run inserted; key is its location, nothing to put back but its absence. */
        FLOW_RULE
    }

    @Override
    public String toString() {
        return switch (setting) {
            case TCP_DATA_SPLIT -> "tcp-data-split (was " + original + ")";
            case HDS_THRESHOLD -> "hds-thresh (was " + original + ")";
            case FEATURE -> "feature " + key + " (was " + ("true".equals(original) ? "on" : "off") + ")";
            case PRIVATE_FLAG -> "private flag " + key + " (was " + ("true".equals(original) ? "on" : "off") + ")";
            case RSS_INDIRECTION -> "RSS indirection table (was " + ("default".equals(original) ? "the default spread"
                    : "a user table") + ")";
            case FLOW_RULE -> "flow rule at location " + key;
        };
    }
}
