package dev.eekbp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

    static void write(Path base, long t, long netRx0, long irq, long user0, long idle0,
            long pollTicks, long vol, long wakes, long trans, long minFreqTicks)
            throws IOException {
        StringBuilder out = new StringBuilder();
        java.util.function.BiConsumer<String, String> dir = (n, body) -> out.append("== ")
                .append(n).append('\n').append(body);
        dir.accept("time", t + "\n");
        dir.accept("softirqs", """
                                    CPU0       CPU1
                          HI:          0          0
                      NET_RX:        %d         40
                """.formatted(netRx0));
        dir.accept("interrupts", """
                           CPU0       CPU1
                  24:        %d          3  PCI-MSIX-0000:00:02.0   1-edge      virtio0-input.0
                  25:         7          0  PCI-MSIX-0000:00:02.0   2-edge      virtio0-output.0
                  26:       100        100  PCI-MSIX-0000:00:03.0   1-edge      virtio1-req.0
                """.formatted(irq));
        dir.accept("nic_irqs", "24\n25\n");
        dir.accept("stat", """
                cpu  1 2 3 4 5 6 7 8 0 0
                cpu0 %d 0 10 %d 0 1 2 0 0 0
                cpu1 5 0 5 500 0 0 0 0 0 0
                """.formatted(user0, idle0));
        dir.accept("threads", "812 eekbp/0 0 " + pollTicks + " " + vol
                + " 3\n15 ksoftirqd/0 0 2 10 0\n");
        dir.accept("eekbp_stats", "cpu=0 state=sleeping packets=" + (wakes * 2)
                + " polls=9 irq_wakes=" + wakes + " sleeps=" + wakes + " spin_windows="
                + (wakes / 10) + " spin_catches=" + (wakes / 4) + "\n");
        dir.accept("time_in_state", "800000 " + minFreqTicks
                + "\n2400000 1000\n");
        dir.accept("total_trans", trans + "\n");
        dir.accept("snmp", """
                Ip: Forwarding DefaultTTL
                Ip: 2 64
                Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors
                Udp: 1000 0 0 990 0
                """);
        Files.writeString(base, out);
    }

    @Test
    void parsesTheGuestFilesAndComputesCellDeltas(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("a"), 10_000, 500, 1000, 100, 1000, 50, 20, 100, 4, 300);
        write(tmp.resolve("b"), 12_000, 530, 1400, 140, 1150, 60, 220, 300, 14, 400);
        Snapshot a = Snapshot.read(tmp.resolve("a"), 0);
        Snapshot b = Snapshot.read(tmp.resolve("b"), 0);
        assertThat(a.netRx()).containsExactly(500, 40);
        assertThat(a.nicIrqs()).isEqualTo(1000 + 3 + 7);
        assertThat(a.nicRxIrqs()).isEqualTo(1000 + 3);
        assertThat(a.threads()).containsKeys(812, 15);
        assertThat(a.eekbp().get(0)).containsEntry("irq_wakes", 100L).doesNotContainKey("state");
        assertThat(a.udp()).containsEntry("InDatagrams", 1000L);

        LoadResult lr = new LoadResult(400, 396, 200, 300, 900, 1500, 2500, 350);
        Cell c = Cell.of("matrix", 1, Mode.EEKBP, new Profile("t", 1, false,
                java.time.Duration.ofSeconds(2), 1000, java.util.List.of(), java.time.Duration
                        .ofSeconds(1), 1, 1, 1, false, false, "idle").condition("80M-1518"),
                a, b, lr, 0);
        assertThat(c.seconds()).isEqualTo(2.0);
        assertThat(c.netRx()).isEqualTo(30);
        assertThat(c.hardIrqs()).isEqualTo(400);
        assertThat(c.rxHardIrqs()).isEqualTo(400);
        assertThat(Metric.RX_IRQ_PER_PKT.of(c)).isEqualTo(1.0);
        // cpu0: user +40, idle +150, others unchanged -> 40 / 190 busy.
        assertThat(c.cpuBusyPct()).isCloseTo(100.0 * 40 / 190, org.assertj.core.data.Offset
                .offset(1e-9));
        assertThat(c.pollCpuMs()).isEqualTo(100.0);
        assertThat(c.threadWakes()).isEqualTo(200);
        assertThat(c.eekbpWakes()).isEqualTo(200);
        assertThat(c.freqChanges()).isEqualTo(10);
        assertThat(c.minFreqShare()).isEqualTo(1.0);
        assertThat(c.lossPct()).isEqualTo(1.0);
        assertThat(Metric.THREAD_WAKES.of(c)).isEqualTo(100);
        assertThat(c.spinWindows()).isEqualTo(20);
        assertThat(c.spinCatches()).isEqualTo(50);
        assertThat(Metric.SPIN_CATCHES_PER_PKT.of(c)).isEqualTo(50.0 / 400);
    }

    /** Threaded NAPI snapshots: napi/eth0-N thread with or without schedstat run time. */
    private static Snapshot threadedSnap(long t, long ticks, long vol, String runNs) {
        String run = runNs.isEmpty() ? "" : " " + runNs;
        return Snapshot.parse("""
                == time
                %d
                == softirqs
                NET_RX: 5 5
                == interrupts
                           CPU0       CPU1
                  24:        10          0  PCI-MSIX   virtio0-input.0
                == nic_irqs
                24
                == stat
                cpu0 1 0 1 100 0 0 0 0 0 0
                == threads
                700 napi/eth0-3 0 %d %d 0%s
                """.formatted(t, ticks, vol, run), 0);
    }

    @Test
    void threadedDeferCountsItsNapiThread() {
        Condition c = Condition.paper(1000).get(0);
        Cell cell = Cell.of("matrix", 1, Mode.THREADED_DEFER, c, threadedSnap(0, 1, 10, ""),
                threadedSnap(1000, 3, 25, ""), null, 0);
        assertThat(cell.pollCpuMs()).isEqualTo(20.0);
        assertThat(cell.threadWakes()).isEqualTo(15);
    }

    @Test
    void pollCpuComesFromSchedstatWhenBothSnapshotsHaveIt() {
        Condition c = Condition.paper(1000).get(0);
        Cell cell = Cell.of("matrix", 1, Mode.THREADED, c, threadedSnap(0, 1, 10, "1000000"),
                threadedSnap(1000, 1, 25, "3500000"), null, 0);
        // ticks say 0 ms; schedstat says 2.5 ms
        assertThat(cell.pollCpuMs()).isEqualTo(2.5);
        Cell mixed = Cell.of("matrix", 1, Mode.THREADED, c, threadedSnap(0, 1, 10, ""),
                threadedSnap(1000, 2, 25, "3500000"), null, 0);
        assertThat(mixed.pollCpuMs()).isEqualTo(10.0);
    }
}
