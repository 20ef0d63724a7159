package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report generation from synthetic results (no guest). */
class ReportWritersTest {

    static BenchResults synthetic() {
        Random rnd = new Random(42);
        Profile p = Profile.QUICK;
        List<Cell> cells = new ArrayList<>();
        List<Throughput> tps = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long t = 1_000_000;
        for (int rep = 1; rep <= 3; rep++) {
            for (Mode m : Mode.values()) {
                for (Condition c : p.conditions()) {
                    cells.add(cell("matrix", rep, m, c, t, rnd));
                    for (int s = 0; s < 2; s++) {
                        samples.add(new Sample(t + s * 1000L, busy(m, c) + rnd.nextDouble(),
                                m == Mode.EEKBP_FREQ ? 800_000 : 2_400_000));
                    }
                    t += 3000;
                }
                cells.add(cell("compete", rep, m, p.condition("1G-1518"), t, rnd));
                t += 3000;
                tps.add(new Throughput(rep, m, 64, 1000 + 100 * m.ordinal() + rnd.nextInt(50),
                        List.of(new Rfc2544Search.Trial(3200, 3100, false),
                                new Rfc2544Search.Trial(1600, 1600, true))));
            }
        }
        return new BenchResults(p, "6.1.0-56-amd64", Instant.parse("2026-11-26T08:00:00Z"),
                Duration.ofSeconds(512), Map.of("host CPU", "Test CPU | x"), List.of(Mode.values()),
                p.conditions(), cells, tps, samples, List.of("synthetic data"));
    }

    private static double busy(Mode m, Condition c) {
        return m == Mode.KBP ? 100 : 2 + c.pps() / 40;
    }

    private static Cell cell(String scenario, int rep, Mode m, Condition c, long t, Random rnd) {
        long sent = c.idle() ? 0 : (long) (c.pps() * 2);
        long recv = c.pps() > 1500 ? sent * 9 / 10 : sent;
        double base = m == Mode.NAPI ? 900 : 400;
        Map<Long, Double> res = new TreeMap<>();
        if (m == Mode.EEKBP_FREQ) {
            res.put(800_000L, 0.8);
            res.put(2_400_000L, 0.2);
        }
        return new Cell(scenario, rep, m, c.id(), t, 2.0, sent, recv,
                c.idle() ? Double.NaN : base + rnd.nextInt(100),
                c.idle() ? Double.NaN : 3 * base, c.idle() ? Double.NaN : 5 * base,
                c.idle() ? Double.NaN : 9 * base, busy(m, c), m.usesModule() ? 30 : Double.NaN,
                4, m == Mode.KBP ? 0 : c.pps(), m == Mode.NAPI ? c.pps() * 2 : 2, c.pps() * 2,
                m == Mode.EEKBP ? c.pps() : Double.NaN, Double.NaN, Double.NaN,
                m == Mode.EEKBP_FREQ ? c.pps() : 0, res, Double.NaN);
    }

    @Test
    void writesJsonCsvMarkdownAndCharts(@TempDir Path dir) throws IOException {
        BenchResults r = synthetic();
        BenchMain.writeReport(r, dir);

        String json = Files.readString(dir.resolve("results.json"));
        assertThat(json).contains("\"profile\": \"quick\"", "\"mode\": \"eekbp-freq\"",
                "\"zero_loss_pps\"", "\"rtt_p999_us\": null");
        assertThat(json.chars().filter(ch -> ch == '{').count())
                .isEqualTo(json.chars().filter(ch -> ch == '}').count());

        List<String> csv = Files.readAllLines(dir.resolve("cells.csv"));
        assertThat(csv).hasSize(1 + r.cells().size());
        int cols = csv.get(0).split(",", -1).length;
        assertThat(csv).allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(cols));

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("## Round-trip matrix", "### RTT p99 [us]",
                "| 80M-1518 |", "## RFC 2544 zero-loss", "## softIRQ competition",
                "![Fig. 8 analogue", "Test CPU / x", "synthetic data");
        // KBP is 100 % busy in every condition of the synthetic data.
        assertThat(md).contains("## EE-KBP compared per condition");

        for (String png : List.of("fig08-timeline-cpu.png", "fig08b-timeline-freq.png",
                "fig09-cpu-80m.png", "fig10-cpu-1g.png", "fig11-latency-80m.png",
                "fig12-latency-1g.png", "fig13-hardirqs.png", "fig14-throughput.png",
                "fig-compete-latency.png")) {
            Path f = dir.resolve(png);
            assertThat(f).exists();
            byte[] head = Files.readAllBytes(f);
            assertThat(head.length).isGreaterThan(2000);
            assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("PNG");
        }
    }

    @Test
    void spreadIsMedianAndRangeIgnoringNaN() {
        Spread s = Spread.of(5, Double.NaN, 1, 3);
        assertThat(s.median()).isEqualTo(3);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(5);
        assertThat(Spread.of(Double.NaN).present()).isFalse();
        assertThat(Spread.of(1, 2, 3, 10).median()).isEqualTo(2.5);
    }

    @Test
    void modeOrderRotatesPerRepetitionAndKeepsModuleModesAdjacent() {
        List<Mode> all = List.of(Mode.values());
        java.util.Set<Mode> firsts = new java.util.HashSet<>();
        for (int rep = 1; rep <= 4; rep++) {
            List<Mode> o = BenchRunner.order(all, rep);
            assertThat(o).containsExactlyInAnyOrder(Mode.values());
            int first = -1;
            int last = -1;
            for (int i = 0; i < o.size(); i++) {
                if (o.get(i).usesModule()) {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            long moduleModes = all.stream().filter(Mode::usesModule).count();
            assertThat(last - first).as("module modes adjacent in %s", o).isEqualTo((int) moduleModes - 1);
            firsts.add(o.get(0));
        }
        assertThat(firsts).hasSizeGreaterThan(2);
    }

    @Test
    void paperConditionsKeepTheirRatiosWhenScaled() {
        assertThat(Condition.paper(1000)).extracting(Condition::pps).first()
                .satisfies(pps -> assertThat((double) pps).isCloseTo(6.588, org.assertj.core.data
                        .Offset.offset(0.01)));
        assertThat(Condition.paper(1000).get(5).pps()).isEqualTo(2000.0);
        assertThat(Condition.paper(1000).get(2).payloadBytes()).isEqualTo(18);
        List<Condition> a = Condition.paper(1);
        List<Condition> b = Condition.paper(1000);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).pps() / a.get(0).pps()).isCloseTo(b.get(i).pps() / b.get(0).pps(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
