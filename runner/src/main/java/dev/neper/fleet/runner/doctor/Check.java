package dev.neper.fleet.runner.doctor;

/** One prerequisite checked by the doctor: its name, what it is about (the host or a link), the outcome and why. */
public record Check(String name, String scope, Status status, String detail) {
    public enum Status {
        PASS, WARN, FAIL, SKIP
    }
}
