package dev.neper.fleet.operator.api;

/** A link's pass/fail verdict. */
public enum LinkVerdict { Pending, Passed, Failed }
