package dev.neper.fleet.runner.contract;

/** How an option's argument is parsed, stored and echoed in the name=value dump. */
public enum ValueType {
    /** No argument; true when present. Echoed as 0 or 1. */
    FLAG,
    /** A signed 32-bit decimal integer. */
    INT,
    /**
     * A 32-bit unsigned value, 0..4294967295 (a negative int is taken as its two's complement, as
     * neper's atoi gives it); stored as the int of the same bits, echoed unsigned.
     */
    UINT32,
    /** A TCP port, 1..65535. */
    PORT,
    /** A non-negative 64-bit integer. */
    SIZE,
    /** A duration in nanoseconds: a non-negative integer with an optional unit suffix ns, us, ms or s. */
    DURATION,
    /** A decimal number, echoed with six decimals like C's %f. */
    DOUBLE,
    /** Free text; absent is echoed as an empty value. */
    STRING,
    /** A rate in bytes/s: a number with an optional unit suffix (see {@link ThroughputUnit}). */
    RATE,
    /** A {@link ThroughputUnit} suffix. */
    UNIT,
    /** A file name whose argument may be left out, when a default file name is used. */
    OPTIONAL_PATH,
    /** A {@link MemoryMode}: host, udmabuf or cuda. */
    MODE
}
