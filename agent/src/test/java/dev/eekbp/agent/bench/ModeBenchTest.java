package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.telemetry.FakeSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeBenchTest {
    @TempDir
    Path dir;

    /** Records what it was asked; fails on {@code failOn}; reports {@code leftover} at restore. */
    static final class RecordingSwitcher implements ModeSwitcher {
        final List<String> calls = new ArrayList<>();
        BenchMode failOn;
        List<String> leftover = List.of();
        List<String> leaveLeftover = List.of();

        @Override
        public String enter(BenchMode mode) {
            calls.add(mode.label());
            if (mode == failOn) {
                throw new IllegalStateException("module refused");
            }
            return mode == BenchMode.EEKBP_FREQ ? "frequency control unusable: test" : "";
        }

        @Override
        public List<String> leave() {
            calls.add("leave");
            return leaveLeftover;
        }

        @Override
        public List<String> restore() {
            calls.add("restore");
            return leftover;
        }
    }

    ModeBench bench(ModeBench.Plan plan, RecordingSwitcher sw, StringWriter out) throws Exception {
        FakeSystem fs = new FakeSystem(dir).build();
        Files.writeString(dir.resolve("proc/stat"), "cpu0 1 0 1 10 0 0 0 0\ncpu1 1 0 1 10 0 0 0 0\n");
        return ModeBench.open(plan, sw, fs.paths(), List.of(), CpuList.of(1), List.of("eth0"), new PrintWriter(out));
    }

    static ModeBench.Plan plan(List<BenchMode> modes, int reps, Optional<InetSocketAddress> target) {
        return new ModeBench.Plan(modes, reps, Duration.ofMillis(200), Duration.ZERO, target, List.of(100));
    }

    @Test
    void rotatesModesPerRepetitionAndRestoresOnce() throws Exception {
        RecordingSwitcher sw = new RecordingSwitcher();
        StringWriter out = new StringWriter();
        List<BenchMode> modes = List.of(BenchMode.NAPI, BenchMode.KBP, BenchMode.EEKBP_FREQ);
        try (ModeBench b = bench(plan(modes, 2, Optional.empty()), sw, out)) {
            List<CellResult> cells = b.run();
            assertThat(cells).hasSize(6);
            assertThat(cells).allMatch(c -> c.sent() == 0 && Double.isNaN(c.p50Us()));
        }
        assertThat(sw.calls).containsExactly("napi", "leave", "kbp", "leave", "eekbp-freq", "leave", "kbp", "leave",
                "eekbp-freq", "leave", "napi", "leave", "restore");
        assertThat(out.toString().lines().filter(l -> l.startsWith("[bench "))).hasSize(6);
        assertThat(out.toString()).contains("(frequency control unusable: test)");
    }

    @Test
    void measuresRoundTripsToAnEchoServer() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[64];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                while (!echo.isClosed()) {
                    try {
                        p.setLength(buf.length);
                        echo.receive(p);
                        echo.send(p);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            RecordingSwitcher sw = new RecordingSwitcher();
            var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
            try (ModeBench b = bench(plan(List.of(BenchMode.EEKBP), 1, Optional.of(target)), sw,
                    new StringWriter())) {
                CellResult r = b.run().getFirst();
                assertThat(r.sent()).isPositive();
                assertThat(r.p50Us()).isPositive();
                assertThat(r.maxUs()).isGreaterThanOrEqualTo(r.p99Us()).isGreaterThanOrEqualTo(r.p50Us());
            }
            echo.close();
            t.join(2000);
        }
    }

    @Test
    void failedSwitchStillRestoresAndSaysWhichMode() throws Exception {
        RecordingSwitcher sw = new RecordingSwitcher();
        sw.failOn = BenchMode.KBP;
        try (ModeBench b = bench(plan(List.of(BenchMode.NAPI, BenchMode.KBP, BenchMode.EEKBP), 1,
                Optional.empty()), sw, new StringWriter())) {
            assertThatThrownBy(b::run).isInstanceOf(BenchException.class)
                    .hasMessageContaining("cannot switch to mode kbp: module refused");
        }
        assertThat(sw.calls).containsExactly("napi", "leave", "kbp", "restore");
    }

    @Test
    void knobsNotRestoredAfterACellStopTheBench() throws Exception {
        RecordingSwitcher sw = new RecordingSwitcher();
        sw.leaveLeftover = List.of("/sys/class/net/eth0/threaded not restored to 0 (gone)");
        try (ModeBench b = bench(plan(List.of(BenchMode.THREADED, BenchMode.NAPI), 1, Optional.empty()), sw,
                new StringWriter())) {
            assertThatThrownBy(b::run).isInstanceOf(BenchException.class)
                    .hasMessageContaining("after mode threaded the stock knobs were not restored")
                    .hasMessageContaining("eth0/threaded not restored to 0");
        }
        assertThat(sw.calls).containsExactly("threaded", "leave", "restore");
    }

    @Test
    void everyRateRunsThePlanOnce() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            RecordingSwitcher sw = new RecordingSwitcher();
            var target = new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort());
            var p = new ModeBench.Plan(List.of(BenchMode.NAPI, BenchMode.EEKBP), 1, Duration.ofMillis(200),
                    Duration.ZERO, Optional.of(target), List.of(20, 50));
            try (ModeBench b = bench(p, sw, new StringWriter())) {
                List<CellResult> cells = b.run();
                assertThat(cells).extracting(CellResult::ratePps).containsExactly(20, 20, 50, 50);
                assertThat(cells).extracting(c -> c.mode().label()).containsExactly("napi", "eekbp", "napi", "eekbp");
            }
        }
        assertThat(plan(List.of(BenchMode.NAPI), 2, Optional.empty()).cellRates()).containsExactly(0);
        assertThatThrownBy(() -> new ModeBench.Plan(List.of(BenchMode.NAPI), 1, Duration.ofSeconds(1),
                Duration.ZERO, Optional.empty(), List.of())).hasMessageContaining("rates");
    }

    @Test
    void incompleteRestoreIsAnError() throws Exception {
        RecordingSwitcher sw = new RecordingSwitcher();
        sw.leftover = List.of("governor of CPU 1 not restored (wanted schedutil)");
        try (ModeBench b = bench(plan(List.of(BenchMode.NAPI), 1, Optional.empty()), sw, new StringWriter())) {
            assertThatThrownBy(b::run).isInstanceOf(BenchException.class)
                    .hasMessageContaining("run 'eekbp unload'")
                    .hasMessageContaining("governor of CPU 1 not restored");
        }
    }

    @Test
    void summaryGivesMedianAndRangePerMode() {
        List<CellResult> cells = new ArrayList<>();
        double[] p50 = {100, 300, 200};
        for (int rep = 1; rep <= 3; rep++) {
            cells.add(new CellResult(BenchMode.EEKBP, rep, 100, 1, "", 10, 0, p50[rep - 1], 400, 500, 600, 50, 0, 5,
                    7, 0.1, 0.01, Double.NaN, Double.NaN, "", Double.NaN));
        }
        List<String> table = BenchSummary.table(List.of(BenchMode.EEKBP), cells);
        assertThat(table).hasSize(2);
        assertThat(table.get(1)).startsWith("eekbp").contains("200 [100-300]").contains("n/a");
        String json = BenchSummary.json(plan(List.of(BenchMode.EEKBP), 3, Optional.empty()), "6.1.0-test",
                List.of("power rapl: no \"powercap\""), cells);
        assertThat(json).contains("\"kernel\":\"6.1.0-test\"").contains("\"rtt_p50_us\":300.0")
                .contains("\"watts\":null").contains("no \\\"powercap\\\"");
    }

    @Test
    void medianIgnoresNotMeasured() {
        assertThat(BenchSummary.median(new double[] {Double.NaN, 3, 1})).isEqualTo(2);
        assertThat(BenchSummary.median(new double[] {Double.NaN})).isNaN();
    }
}
