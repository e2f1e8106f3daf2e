package dev.neper.fleet.runner.contract;

/** Which end of the control connection a runner is. */
public enum Role {
    SERVER, CLIENT
}
