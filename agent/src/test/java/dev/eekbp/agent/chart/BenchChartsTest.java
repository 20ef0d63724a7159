package dev.eekbp.agent.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartsTest {
    @TempDir
    Path dir;

    static String cell(String mode, int rep, int rate, String p50, String hardPerPkt) {
        return "{\"mode\":\"" + mode + "\",\"rep\":" + rep + ",\"rate_pps\":" + rate + ",\"rtt_p50_us\":" + p50
                + ",\"hardirqs_per_packet\":" + hardPerPkt + ",\"watts\":null,\"note\":\"a \\\"quoted\\\" note\"}";
    }

    static String doc(String modes, String... cells) {
        return "{\"kernel\":\"6.1.0-56-amd64\",\"modes\":[" + modes + "],\"cells\":[" + String.join(",", cells)
                + "]}\n";
    }

    @Test
    void seriesAreMedianAndRangePerModeInTheRunsOrder() {
        BenchCharts.Cells c = BenchCharts.parse(List.of(doc("\"threaded\",\"eekbp\"",
                cell("eekbp", 1, 100, "300", "0.5"), cell("threaded", 1, 100, "90", "1.0"),
                cell("eekbp", 2, 100, "100", "0.25"), cell("threaded", 2, 100, "110", "1.0"),
                cell("eekbp", 3, 100, "200", "null"))));
        assertThat(c.modes()).containsExactly("threaded", "eekbp");
        assertThat(c.rates()).containsExactly(100);
        List<ChartSeries> s = BenchCharts.series(c, "rtt_p50_us");
        assertThat(s.get(0)).isEqualTo(new ChartSeries("threaded", new int[] {100}, new double[] {100},
                new double[] {90}, new double[] {110}));
        assertThat(s.get(1)).isEqualTo(new ChartSeries("eekbp", new int[] {100}, new double[] {200},
                new double[] {100}, new double[] {300}));
        // null (not measured) is left out of the median, not counted as 0
        List<ChartSeries> h = BenchCharts.series(c, "hardirqs_per_packet");
        assertThat(h.get(1).median()).containsExactly(0.375);
        assertThat(BenchCharts.series(c, "watts")).noneMatch(ChartSeries::hasData);
    }

    @Test
    void severalFilesGiveOneSeriesPointPerRate() {
        BenchCharts.Cells c = BenchCharts.parse(List.of(
                doc("\"napi\",\"eekbp\"", cell("napi", 1, 1000, "80", "1"), cell("eekbp", 1, 1000, "60", "0.1")),
                doc("\"napi\",\"eekbp\"", cell("napi", 1, 100, "50", "1"), cell("eekbp", 1, 100, "70", "0.5"))));
        assertThat(c.rates()).containsExactly(100, 1000);
        List<ChartSeries> s = BenchCharts.series(c, "rtt_p50_us");
        assertThat(s).extracting(ChartSeries::mode).containsExactly("napi", "eekbp");
        assertThat(s.get(0).rates()).containsExactly(100, 1000);
        assertThat(s.get(0).median()).containsExactly(50, 80);
        assertThat(s.get(1).median()).containsExactly(70, 60);
    }

    @Test
    void writesOnePngPerMeasuredMetric() throws Exception {
        BenchCharts.Cells one = BenchCharts.parse(List.of(doc("\"napi\",\"threaded-defer\",\"adaptive-freq\"",
                cell("napi", 1, 100, "80", "1"), cell("threaded-defer", 1, 100, "95", "0.3"),
                cell("adaptive-freq", 1, 100, "60", "0.05"))));
        List<Path> files = BenchCharts.write(one, dir.resolve("one"));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("rtt-p50.png", "hardirqs-per-packet.png");
        assertThat(BenchCharts.empty(one)).contains("watts", "microjoules_per_packet");
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertThat(img).as(f.toString()).isNotNull();
            assertThat(img.getWidth()).isEqualTo(Chart.WIDTH);
            assertThat(img.getHeight()).isEqualTo(Chart.HEIGHT);
        }
        // the bar of napi (first palette colour) is drawn
        BufferedImage p50 = ImageIO.read(dir.resolve("one/rtt-p50.png").toFile());
        boolean blue = false;
        for (int x = 0; x < p50.getWidth() && !blue; x++) {
            for (int y = 0; y < p50.getHeight() && !blue; y++) {
                blue = (p50.getRGB(x, y) & 0xFFFFFF) == 0x1F77B4;
            }
        }
        assertThat(blue).isTrue();
        BenchCharts.Cells two = BenchCharts.parse(List.of(doc("\"napi\"", cell("napi", 1, 100, "80", "1"),
                cell("napi", 1, 1000, "90", "0.5"))));
        assertThat(BenchCharts.write(two, dir.resolve("two"))).hasSize(2);
        assertThat(ImageIO.read(dir.resolve("two/rtt-p50.png").toFile())).isNotNull();
    }

    @Test
    void rejectsWhatIsNotABenchDocument() {
        assertThatThrownBy(() -> BenchCharts.parse(List.of("{\"cells\":[{\"rep\":1}]}")))
                .hasMessageContaining("document 1 has a cell without a mode");
        assertThatThrownBy(() -> BenchCharts.parse(List.of("[1,2]"))).hasMessageContaining("no \"cells\" array");
        assertThatThrownBy(() -> BenchCharts.parse(List.of("{\"cells\":[}"))).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void axisTopsAreRoundNumbers() {
        assertThat(Chart.niceCeiling(0.37)).isEqualTo(0.5);
        assertThat(Chart.niceCeiling(120)).isEqualTo(200);
        assertThat(Chart.niceCeiling(1000)).isEqualTo(1000);
        assertThat(Chart.niceCeiling(Double.NaN)).isEqualTo(1);
        assertThat(Chart.label(0.000123)).isEqualTo("0.00012");
        assertThat(Chart.label(2.5)).isEqualTo("2.5");
        assertThat(Chart.label(0.8)).isEqualTo("0.8");
        assertThat(Chart.label(160)).isEqualTo("160");
    }
}
