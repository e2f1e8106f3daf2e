package dev.neper.fleet.operator.fleet.judging;

/**
 * Why a link failed.
 *
 * @param kind   which test it failed
 * @param detail the numbers or the error, short enough for a status
 */
public record Failure(Kind kind, String detail) {
    public enum Kind {
        /** The link did not run: the runner's (or controller's) error kind and message. */
        ERROR,
        /** The link ran but reported no throughput. */
        NO_RESULT,
        /** Below the absolute floor, minLinkGbps. */
        FLOOR,
        /** Below the fraction of its rail's median. */
        MEDIAN,
        /** Robust z-score below the bound. */
        ROBUST_Z
    }

    /** A few characters for the status: "<floor", "<median", "z -4.2", the error kind. */
    public String brief() {
        return switch (kind) {
            case ERROR -> detail.startsWith("error ") ? detail.substring(6).split(":", 2)[0] : detail;
            case NO_RESULT -> "no result";
            case FLOOR -> "<floor";
            case MEDIAN -> "<median";
            case ROBUST_Z -> detail.replaceFirst("^robust z (\\S+).*$", "z $1");
        };
    }

    @Override
    public String toString() {
        return detail;
    }
}
