package dev.neper.fleet.operator.fleet.pairing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/** Fisher-Yates over SplittableRandom, whose sequence for a seed is fixed by its specification. */
public final class Shuffle {
    private Shuffle() {
    }

    public static <T> List<T> shuffled(Collection<T> items, SplittableRandom random) {
        List<T> list = new ArrayList<>(items);
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swap);
        }
        return list;
    }
}
