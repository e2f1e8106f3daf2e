package dev.neper.fleet.runner.contract;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("unit")
class ThroughputUnitTest {
    @Test
    void fixedUnitsResolveToThemselves() {
        assertEquals(ThroughputUnit.MEGABITS, ThroughputUnit.MEGABITS.resolve(1e12));
        assertEquals(125_000.0, ThroughputUnit.MEGABITS.bytesPerSecond());
        assertEquals("Mbit/s", ThroughputUnit.MEGABITS.label());
    }

    @Test
    void autoUnitsPickTheFirstOfTheirFamilyWithAValueBetweenOneAndAThousand() {
        // 2.5 Gbit/s = 312,500,000 B/s: Kb gives 2.5e6, Mb 2500, Gb 2.5
        assertEquals(ThroughputUnit.GIGABITS, ThroughputUnit.AUTO_BITS.resolve(312_500_000));
        // 40 Mbit/s = 5e6 B/s: Mb gives 40
        assertEquals(ThroughputUnit.MEGABITS, ThroughputUnit.AUTO_BITS.resolve(5_000_000));
        // bytes, base 10: 3 MB/s
        assertEquals(ThroughputUnit.MEGABYTES, ThroughputUnit.AUTO_BYTES.resolve(3_000_000));
        // bytes, base 2: 3 GiB/s
        assertEquals(ThroughputUnit.GIBIBYTES, ThroughputUnit.AUTO_BINARY_BYTES.resolve(3.0 * (1 << 30)));
        // bits, base 2: 100 Mibit/s = 13,107,200 B/s
        assertEquals(ThroughputUnit.MEBIBITS, ThroughputUnit.AUTO_BINARY_BITS.resolve(13_107_200));
    }

    @Test
    void autoUnitsOutsideEveryRangeFallBackToTheNearestEnd() {
        assertEquals(ThroughputUnit.KILOBITS, ThroughputUnit.AUTO_BITS.resolve(10));
        assertEquals(ThroughputUnit.GIGABITS, ThroughputUnit.AUTO_BITS.resolve(1e15));
    }
}
