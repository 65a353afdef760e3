package io.github.compressm.benchmarks;

import io.github.compressm.benchmarks.CompressionStudy.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown form of a study: one row per run, then the paired differences between arms over the
 * seeds they share (mean, standard deviation and paired t statistic), so that a comparison is
 * quoted with its spread. A run that names its SSM family shows it after its kind, and a reference
 * arm is paired with the baseline and every compressed arm.
 */
final class StudyTable {

    private StudyTable() {}

    /**
     * Renders the runs.
     *
     * @param runs the runs, in the order they ran
     * @return Markdown
     */
    static String render(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| run | seed | tau | weighting | state per layer | metric | steps | train s |")
                .append(" compression s | baseline time / run time |")
                .append(" peak RSS MB: first / last / max step |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            Optional<Run> baseline = find(runs, "baseline", "-", 0, r.seed());
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s | %s -> %s | %s %.4f | %d | %.1f | %.2f | %s | %s"
                                    + " |%n",
                            r.ssm() == null ? r.kind() : r.kind() + " (" + r.ssm() + ")",
                            r.seed(),
                            r.tolerance() > 0 ? String.valueOf(r.tolerance()) : "-",
                            r.weighting(),
                            r.initialStateSizes(),
                            r.finalStateSizes(),
                            r.metric(),
                            r.metricValue(),
                            r.steps(),
                            r.trainSeconds(),
                            r.compressionSeconds(),
                            baseline.map(
                                            b ->
                                                    String.format(
                                                            Locale.ROOT,
                                                            "%.2fx",
                                                            b.trainSeconds() / r.trainSeconds()))
                                    .orElse("-"),
                            r.peakMemory() == null
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT,
                                            "%.0f / %.0f / %.0f",
                                            r.peakMemory().firstStep(),
                                            r.peakMemory().lastStep(),
                                            r.peakMemory().max())));
        }
        sb.append("\nPaired over seeds (metric of the first arm minus the second; t = mean /")
                .append(" (sd / sqrt(n))):\n\n")
                .append("| first arm | second arm | n | mean difference | sd | t |")
                .append(" mean time ratio (second / first) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, String[]> pair : pairs(runs).entrySet()) {
            appendPair(sb, runs, pair.getValue());
        }
        return sb.toString();
    }

    /** Arm labels: family (if named), kind, weighting and tolerance. */
    private static Map<String, String[]> pairs(List<Run> runs) {
        Map<String, String[]> arms = new LinkedHashMap<>();
        Optional<String> reference =
                runs.stream()
                        .filter(r -> r.kind().equals("reference"))
                        .map(StudyTable::label)
                        .findFirst();
        for (Run r : runs) {
            String family = r.ssm() == null ? "" : r.ssm() + " ";
            String baseline = family + "baseline/-/0.0";
            if (r.kind().equals("baseline")) {
                reference.ifPresent(
                        ref ->
                                arms.putIfAbsent(
                                        baseline + " vs reference", new String[] {baseline, ref}));
            }
            if (r.kind().equals("compressed")) {
                String tau = String.valueOf(r.tolerance());
                String arm = label(r);
                arms.putIfAbsent(arm + " vs baseline", new String[] {arm, baseline});
                arms.putIfAbsent(
                        arm + " vs small",
                        new String[] {arm, family + "small-from-scratch/-/" + tau});
                if (!r.weighting().equals("NONE")) {
                    arms.putIfAbsent(
                            arm + " vs none",
                            new String[] {arm, family + "compressed/NONE/" + tau});
                }
                int extra = r.weighting().indexOf("+extra");
                if (extra > 0) {
                    String fixed =
                            family + "compressed/" + r.weighting().substring(0, extra) + "/" + tau;
                    arms.putIfAbsent(arm + " vs fixed window", new String[] {arm, fixed});
                }
                reference.ifPresent(
                        ref -> arms.putIfAbsent(arm + " vs reference", new String[] {arm, ref}));
            }
        }
        return arms;
    }

    private static void appendPair(StringBuilder sb, List<Run> runs, String[] labels) {
        List<Double> differences = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (Run first : runs) {
            if (!label(first).equals(labels[0])) {
                continue;
            }
            for (Run second : runs) {
                if (second.seed() == first.seed() && label(second).equals(labels[1])) {
                    differences.add(first.metricValue() - second.metricValue());
                    ratios.add(second.trainSeconds() / first.trainSeconds());
                }
            }
        }
        int n = differences.size();
        if (n == 0) {
            return;
        }
        double mean = mean(differences);
        double sd = 0;
        for (double d : differences) {
            sd += (d - mean) * (d - mean);
        }
        sd = n > 1 ? Math.sqrt(sd / (n - 1)) : Double.NaN;
        double t = n > 1 && sd > 0 ? mean / (sd / Math.sqrt(n)) : Double.NaN;
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %+.4f | %.4f | %.2f | %.2fx |%n",
                        labels[0],
                        labels[1],
                        n,
                        mean,
                        sd,
                        t,
                        mean(ratios)));
    }

    private static String label(Run r) {
        String family = r.ssm() == null ? "" : r.ssm() + " ";
        return family + r.kind() + "/" + r.weighting() + "/" + r.tolerance();
    }

    private static Optional<Run> find(
            List<Run> runs, String kind, String weighting, double tau, long seed) {
        return runs.stream()
                .filter(
                        r ->
                                r.kind().equals(kind)
                                        && r.weighting().equals(weighting)
                                        && r.tolerance() == tau
                                        && r.seed() == seed)
                .findFirst();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
