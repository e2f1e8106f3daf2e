package dev.neper.fleet.operator.api;

/** The outcome of payload validation on a link. */
public enum ValidationResult { Off, Passed, Failed, Unknown }
