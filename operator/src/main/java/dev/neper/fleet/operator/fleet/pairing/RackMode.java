package dev.neper.fleet.operator.fleet.pairing;

/** Whether the rack strategy pairs nodes of different racks or of the same rack. */
public enum RackMode { ACROSS, WITHIN }
