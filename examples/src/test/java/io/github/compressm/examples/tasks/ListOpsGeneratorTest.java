package io.github.compressm.examples.tasks;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.compressm.examples.tasks.listops.ListOpsGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Test;

/** The generated ListOps labels agree with an independent evaluator of the expression text. */
public class ListOpsGeneratorTest {

    @Test
    public void labelsMatchAnIndependentEvaluation() {
        ListOpsGenerator generator = new ListOpsGenerator(4, 5, 8, 96, 7);
        int[] histogram = new int[10];
        for (int i = 0; i < 300; i++) {
            ListOpsGenerator.Example e = generator.next();
            assertTrue(e.length() >= 8 && e.length() <= 96, "length " + e.length());
            assertEquals(e.tokens().length, 96);
            for (int k = e.length(); k < 96; k++) {
                assertEquals(e.tokens()[k], ListOpsGenerator.PAD);
            }
            String text = ListOpsGenerator.toText(e.tokens());
            List<String> tokens = new ArrayList<>(Arrays.asList(text.split(" ")));
            int value = evaluate(tokens);
            assertTrue(tokens.isEmpty(), "whole expression consumed: " + text);
            assertEquals(e.label(), value, text);
            histogram[value]++;
        }
        long used = Arrays.stream(histogram).filter(h -> h > 0).count();
        assertTrue(used >= 5, "labels spread over classes: " + Arrays.toString(histogram));
    }

    @Test
    public void sameSeedSameData() {
        ListOpsGenerator a = new ListOpsGenerator(3, 4, 4, 40, 11);
        ListOpsGenerator b = new ListOpsGenerator(3, 4, 4, 40, 11);
        for (int i = 0; i < 20; i++) {
            assertEquals(a.next().tokens(), b.next().tokens());
        }
    }

    private static int evaluate(List<String> tokens) {
        String head = tokens.remove(0);
        if (!head.startsWith("[")) {
            return Integer.parseInt(head);
        }
        List<Integer> args = new ArrayList<>();
        while (!tokens.get(0).equals("]")) {
            args.add(evaluate(tokens));
        }
        tokens.remove(0);
        int[] v = args.stream().mapToInt(Integer::intValue).sorted().toArray();
        switch (head) {
            case "[MAX":
                return v[v.length - 1];
            case "[MIN":
                return v[0];
            case "[MED":
                // numpy median of an even count is the mean of the middle pair; int() floors it
                return (int)
                        Math.floor(
                                v.length % 2 == 1
                                        ? v[v.length / 2]
                                        : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0);
            case "[SM":
                return Arrays.stream(v).sum() % 10;
            default:
                throw new AssertionError("unknown operator " + head);
        }
    }
}
