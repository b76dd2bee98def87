package io.healthmesh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the figures of one {@code benchmarks/run-all.sh} run ({@link BenchFigures}) into a markdown
 * report and a bar chart (SVG, written by hand: one bar per figure, its ratio as a share of its
 * target, so every bar that reaches the line meets its target).
 *
 * <p>{@code BenchReport <figures.tsv> <report.md> <chart.svg> <title> [note ...]}
 */
public final class BenchReport {

    record Figure(String bench, String figure, String value, String unit, String floor, String floorValue,
            String ratio, String target, String met) {

        /** The ratio as a share of the target (1 = exactly met), or NaN for figures without a ratio. */
        double score() {
            if (ratio.isEmpty() || target.length() < 4) {
                return Double.NaN;
            }
            double r = Double.parseDouble(ratio);
            double t = Double.parseDouble(target.substring(3).trim());
            return target.startsWith(">=") ? r / t : t / r;
        }
    }

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("BenchReport <figures.tsv> <report.md> <chart.svg> <title> [note ...]");
            System.exit(2);
        }
        List<Figure> figures = read(Path.of(args[0]));
        Path chart = Path.of(args[2]);
        Files.writeString(chart, svg(figures), StandardCharsets.UTF_8);
        List<String> notes = List.of(args).subList(4, args.length);
        Files.writeString(Path.of(args[1]), markdown(figures, args[3], chart.getFileName().toString(), notes),
                StandardCharsets.UTF_8);
        long missed = figures.stream().filter(f -> !"ok".equals(f.met())).count();
        System.out.printf(Locale.ROOT, "[report] %d figures, %d targets met, %d missed: %s%n", figures.size(),
                figures.size() - missed, missed, args[1]);
    }

    static List<Figure> read(Path tsv) throws IOException {
        List<Figure> figures = new ArrayList<>();
        if (!Files.exists(tsv)) {
            return figures;
        }
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.equals(BenchFigures.HEADER)) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length == 9) {
                figures.add(new Figure(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]));
            }
        }
        return figures;
    }

    static String markdown(List<Figure> figures, String title, String chartFile, List<String> notes) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        md.append('\n');
        if (figures.isEmpty()) {
            return md.append("No figures were recorded (every benchmark failed or was skipped; see the logs).\n")
                    .toString();
        }
        long missed = figures.stream().filter(f -> !"ok".equals(f.met())).count();
        md.append(String.format(Locale.ROOT, "%d figures: %d targets met, %d missed.%n%n", figures.size(),
                figures.size() - missed, missed));
        md.append("![each figure's ratio as a share of its target](").append(chartFile).append(")\n");
        Map<String, List<Figure>> byBench = new LinkedHashMap<>();
        figures.forEach(f -> byBench.computeIfAbsent(f.bench(), b -> new ArrayList<>()).add(f));
        byBench.forEach((bench, rows) -> {
            md.append("\n## ").append(bench).append("\n\n");
            md.append("| figure | value | floor (same run) | ratio | target | |\n|---|---|---|---|---|---|\n");
            for (Figure f : rows) {
                md.append("| ").append(f.figure()).append(" | ").append(number(f.value())).append(' ').append(f.unit())
                        .append(" | ").append(f.floor().isEmpty() ? "" : f.floor() + " " + number(f.floorValue())
                                + " " + f.unit())
                        .append(" | ").append(f.ratio()).append(" | ").append(f.target()).append(" | ")
                        .append("ok".equals(f.met()) ? "ok" : "**MISS**").append(" |\n");
            }
        });
        return md.toString();
    }

    private static String number(String value) {
        if (value.isEmpty()) {
            return "";
        }
        double v = Double.parseDouble(value);
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String svg(List<Figure> figures) {
        List<Figure> scored = figures.stream().filter(f -> !Double.isNaN(f.score())).toList();
        int rowHeight = 18;
        int labelWidth = 430;
        int barWidth = 360;
        double max = Math.max(2.0, scored.stream().mapToDouble(Figure::score).max().orElse(1.0));
        int height = 40 + rowHeight * scored.size();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", labelWidth + barWidth + 60, height));
        svg.append("<text x=\"4\" y=\"14\">ratio / target (1 = target met exactly; longer is better)</text>\n");
        for (int i = 0; i < scored.size(); i++) {
            Figure f = scored.get(i);
            int y = 24 + i * rowHeight;
            double width = Math.min(f.score(), max) / max * barWidth;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    labelWidth - 6, y + 12, escape(f.bench() + ": " + f.figure())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    labelWidth, y + 2, width, rowHeight - 4, "ok".equals(f.met()) ? "#4a9a5b" : "#c8553d"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s (%s)</text>%n",
                    labelWidth + width + 4, y + 12, f.ratio(), escape(f.target())));
        }
        double line = labelWidth + 1.0 / max * barWidth;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\""
                + " stroke-dasharray=\"4 3\"/>%n", line, line, height - 4));
        return svg.append("</svg>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
