package dev.eekbp.agent.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generated /proc and /sys trees for the telemetry readers. */
public final class FakeSystem {
    public static final String INTERRUPTS = """
                       CPU0       CPU1
              0:         41          0   IO-APIC   2-edge      timer
             24:          0          0   PCI-MSI 49152-edge      virtio0-config
             25:       1200         34   PCI-MSI 49153-edge      virtio0-input.0
             26:          5        700   PCI-MSI 49154-edge      virtio0-output.0
             27:         99          1   PCI-MSI 65536-edge      ahci[0000:00:1f.2]
            NMI:          0          0   Non-maskable interrupts
            LOC:      12345      23456   Local timer interrupts
            ERR:          0
            """;
    public static final String SOFTIRQS = """
                            CPU0       CPU1
                  HI:          1          0
               TIMER:       3300       2100
              NET_TX:          7         11
              NET_RX:       1500        820
               BLOCK:         40          0
                 RCU:       9000       8000
            """;

    final Path root;

    public FakeSystem(Path root) {
        this.root = root;
    }

    public TelemetryPaths paths() {
        return TelemetryPaths.under(root);
    }

    public FakeSystem build() throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("interrupts"), INTERRUPTS);
        Files.writeString(proc.resolve("softirqs"), SOFTIRQS);
        thread(100, "eekbp/0", 12, 345);
        thread(101, "eekbp/1", 0, 7);
        thread(1, "systemd", 500, 500);
        Path cpus = Files.createDirectories(root.resolve("sys/devices/system/cpu"));
        for (int c = 0; c < 2; c++) {
            Path cf = Files.createDirectories(cpus.resolve("cpu" + c + "/cpufreq/stats"));
            Files.writeString(cf.resolve("../scaling_cur_freq").normalize(), c == 0 ? "2400000\n" : "800000\n");
            Files.writeString(cf.resolve("total_trans"), (c == 0 ? 17 : 3) + "\n");
            Files.writeString(cf.resolve("time_in_state"), "800000 1500\n1600000 250\n2400000 " + (c * 10 + 40)
                    + "\n");
            for (int s = 0; s < 2; s++) {
                Path st = Files.createDirectories(cpus.resolve("cpu" + c + "/cpuidle/state" + s));
                Files.writeString(st.resolve("name"), (s == 0 ? "POLL" : "C1") + "\n");
                Files.writeString(st.resolve("time"), (s == 0 ? 1_500_000 : 42_000_000) + "\n");
                Files.writeString(st.resolve("usage"), (s == 0 ? 10 : 900) + "\n");
            }
        }
        Path pci = Files.createDirectories(root.resolve("sys/devices/pci0000:00/0000:00:03.0"));
        Path msi = Files.createDirectories(pci.resolve("msi_irqs"));
        for (int irq : new int[] {24, 25, 26}) {
            Files.writeString(msi.resolve(Integer.toString(irq)), "msi\n");
        }
        Path virtio = Files.createDirectories(pci.resolve("virtio0"));
        Path eth0 = Files.createDirectories(root.resolve("sys/class/net/eth0"));
        Files.createSymbolicLink(eth0.resolve("device"), virtio);
        Files.createDirectories(root.resolve("sys/class/net/lo"));
        statsBin(stats(2));
        return this;
    }

    public void thread(int pid, String comm, long utime, long stime) throws IOException {
        Path p = Files.createDirectories(root.resolve("proc/" + pid));
        Files.writeString(p.resolve("comm"), comm + "\n");
        Files.writeString(p.resolve("stat"), pid + " (" + comm + ") S 2 0 0 0 -1 2129984 0 0 0 0 " + utime + " "
                + stime + " 0 0 20 0 1 0 190 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0"
                + " 0 0 0 0 0 0 0 0 0 0 0\n");
    }

    public void statsBin(ByteBuffer b) throws IOException {
        Path p = Files.createDirectories(root.resolve("sys/kernel/eekbp")).resolve("stats.bin");
        Files.write(p, java.util.Arrays.copyOf(b.array(), b.limit()));
    }

    /**
     * A stats.bin with n records: record r is CPU r, polling when r is even,
     * counter k = (r + 1) * 1000 + k, wake slot 10 = 5 + r, freq slot 20 = 2.
     */
    static ByteBuffer stats(int n) {
        return stats(n, 1);
    }

    /** Like stats(n) with every counter multiplied by scale. */
    public static ByteBuffer stats(int n, int scale) {
        ByteBuffer b = ByteBuffer.allocate(StatsLayout.HEADER_SIZE + n * StatsLayout.RECORD_SIZE)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(StatsLayout.MAGIC).putShort((short) 1).putShort((short) n).putInt(StatsLayout.RECORD_SIZE)
                .putInt(StatsLayout.HIST_BUCKETS);
        for (int r = 0; r < n; r++) {
            b.putInt(r).putInt(r % 2 == 0 ? 1 : 0);
            for (int k = 0; k < StatsLayout.COUNTERS; k++) {
                b.putLong(((r + 1) * 1000L + k) * scale);
            }
            for (int s = 0; s < StatsLayout.HIST_BUCKETS; s++) {
                b.putLong(s == 10 ? 5 + r : 0);
            }
            for (int s = 0; s < StatsLayout.HIST_BUCKETS; s++) {
                b.putLong(s == 20 ? 2 : 0);
            }
        }
        b.flip();
        return b;
    }
}
