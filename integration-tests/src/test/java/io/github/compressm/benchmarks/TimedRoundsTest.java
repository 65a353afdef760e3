package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.TimedRounds.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The schedule of warm-ups and rounds, with fake timers that record their calls. */
public class TimedRoundsTest {

    /** A timer answering 1, 2, 3, ... and logging "name:count" per batch. */
    private static Measurement fake(String name, List<String> log) {
        int[] calls = {0};
        return new Measurement(
                name,
                name,
                "forward",
                count -> {
                    log.add(name + ":" + count);
                    double[] t = new double[count];
                    for (int i = 0; i < count; i++) {
                        t[i] = ++calls[0];
                    }
                    return t;
                });
    }

    @Test
    public void warmUpsComeFirstThenRoundsAlternateUntilTheRunsAreDone() throws Exception {
        List<String> log = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        Measurement a = fake("a", log);
        Measurement b = fake("b", log);
        TimedRounds rounds = new TimedRounds(2, 5, 2);
        Assert.assertEquals(rounds.rounds(), 3);
        Map<Measurement, List<Double>> times =
                rounds.run(List.of(a, b), (phase, m, t) -> phases.add(phase));
        Assert.assertEquals(log, List.of("a:2", "b:2", "a:2", "b:2", "a:2", "b:2", "a:1", "b:1"));
        Assert.assertEquals(
                phases,
                List.of(
                        "warm-up",
                        "warm-up",
                        "round 1/3",
                        "round 1/3",
                        "round 2/3",
                        "round 2/3",
                        "round 3/3",
                        "round 3/3"));
        // The warm-ups' answers (1 and 2) are not kept.
        Assert.assertEquals(times.get(a), List.of(3.0, 4.0, 5.0, 6.0, 7.0));
        Assert.assertEquals(times.get(b), List.of(3.0, 4.0, 5.0, 6.0, 7.0));
        Assert.assertEquals(List.copyOf(times.keySet()), List.of(a, b));
    }

    @Test
    public void noWarmUpsMeansNoUntimedCalls() throws Exception {
        List<String> log = new ArrayList<>();
        Measurement a = fake("a", log);
        Map<Measurement, List<Double>> times =
                new TimedRounds(0, 3, 3).run(List.of(a), (phase, m, t) -> {});
        Assert.assertEquals(log, List.of("a:3"));
        Assert.assertEquals(times.get(a), List.of(1.0, 2.0, 3.0));
    }

    @Test
    public void badCountsAreRefused() {
        Assert.expectThrows(IllegalArgumentException.class, () -> new TimedRounds(-1, 3, 1));
        Assert.expectThrows(IllegalArgumentException.class, () -> new TimedRounds(0, 0, 1));
        Assert.expectThrows(IllegalArgumentException.class, () -> new TimedRounds(0, 3, 0));
    }
}
