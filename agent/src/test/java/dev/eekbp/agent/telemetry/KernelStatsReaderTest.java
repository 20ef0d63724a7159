package dev.eekbp.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelStatsReaderTest {
    @TempDir
    Path dir;

    @Test
    void parsesAGeneratedBuffer() {
        ByteBuffer b = FakeSystem.stats(3);
        KernelStatsReader k = KernelStatsReader.detached();
        assertThat(k.parse(b, b.limit())).as(k.error()).isTrue();
        assertThat(k.records()).isEqualTo(3);
        assertThat(k.cpu(2)).isEqualTo(2);
        assertThat(k.state(0)).isEqualTo(StatsLayout.STATE_POLLING);
        assertThat(k.state(1)).isEqualTo(StatsLayout.STATE_SLEEPING);
        assertThat(k.counter(1, StatsLayout.PACKETS)).isEqualTo(2000);
        assertThat(k.counter(2, StatsLayout.SLEEP_NS)).isEqualTo(3008);
        assertThat(k.wakeHist(2, 10)).isEqualTo(7);
        assertThat(k.freqHist(0, 20)).isEqualTo(2);
        assertThat(k.total(StatsLayout.PACKETS)).isEqualTo(6000);
        assertThat(k.polling()).isEqualTo(2);
    }

    @Test
    void readsTheFileThroughSysfsStyleReads() throws IOException {
        new FakeSystem(dir).build();
        try (KernelStatsReader k = KernelStatsReader.open(dir.resolve("sys/kernel/eekbp/stats.bin"))) {
            assertThat(k.sample()).isTrue();
            assertThat(k.records()).isEqualTo(2);
            assertThat(k.counter(0, StatsLayout.IRQ_WAKES)).isEqualTo(1004);
        }
    }

    @Test
    void rejectsBadMagicAbiAndTruncation() {
        KernelStatsReader k = KernelStatsReader.detached();
        ByteBuffer b = FakeSystem.stats(2);
        b.putInt(0, 0x12345678);
        assertThat(k.parse(b, b.limit())).isFalse();
        assertThat(k.error()).contains("magic");
        b = FakeSystem.stats(2);
        b.putShort(4, (short) 2);
        assertThat(k.parse(b, b.limit())).isFalse();
        assertThat(k.error()).contains("ABI version 2");
        b = FakeSystem.stats(2);
        assertThat(k.parse(b, b.limit() - 1)).isFalse();
        assertThat(k.records()).isZero();
        assertThat(k.parse(b, 8)).isFalse();
    }

    @Test
    void acceptsLargerRecordsFromANewerKernel() {
        int rec = StatsLayout.RECORD_SIZE + 16;
        ByteBuffer b = ByteBuffer.allocate(16 + 2 * rec).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(StatsLayout.MAGIC).putShort((short) 1).putShort((short) 2).putInt(rec).putInt(32);
        b.putLong(16 + rec + 8, 77); // record 1, packets
        KernelStatsReader k = KernelStatsReader.detached();
        assertThat(k.parse(b, b.capacity())).isTrue();
        assertThat(k.counter(1, StatsLayout.PACKETS)).isEqualTo(77);
    }

    @Test
    void readsAppendedCountersAndZeroesThemForOlderRecords() {
        int rec = StatsLayout.EXT_RECORD_SIZE;
        ByteBuffer b = ByteBuffer.allocate(16 + 2 * rec).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(StatsLayout.MAGIC).putShort((short) 1).putShort((short) 2).putInt(rec).putInt(32);
        int spinCatches = java.util.List.of(StatsLayout.EXT_COUNTER_NAMES).indexOf("spin_catches");
        b.putLong(16 + rec + StatsLayout.RECORD_SIZE + spinCatches * 8, 42); // record 1
        KernelStatsReader k = KernelStatsReader.detached();
        assertThat(k.parse(b, b.capacity())).as(k.error()).isTrue();
        assertThat(k.counter(1, StatsLayout.COUNTERS + spinCatches)).isEqualTo(42);
        assertThat(k.counter(0, StatsLayout.COUNTERS + spinCatches)).isZero();
        // a record of the first ABI 1 size: the appended counters read 0, not garbage
        ByteBuffer old = FakeSystem.stats(1);
        old.putLong(0 + 16 + StatsLayout.RECORD_SIZE - 8, 5);
        assertThat(k.parse(old, old.limit())).as(k.error()).isTrue();
        for (int e = 0; e < StatsLayout.EXT_COUNTERS; e++) {
            assertThat(k.counter(0, StatsLayout.COUNTERS + e)).isZero();
        }
    }

    /** The Java mirror agrees with native-headers/eekbp_uapi.h. */
    @Test
    void layoutMatchesTheUapiHeader() throws IOException {
        Path h = Path.of("..", "native-headers", "eekbp_uapi.h");
        assertThat(h).exists();
        String text = Files.readString(h);
        assertThat(define(text, "EEKBP_STATS_MAGIC")).isEqualTo("0x50424b45U");
        assertThat(Integer.parseUnsignedInt(define(text, "EEKBP_STATS_MAGIC").replace("0x", "").replace("U", ""), 16))
                .isEqualTo(StatsLayout.MAGIC);
        assertThat(Integer.parseInt(define(text, "EEKBP_ABI_VERSION"))).isEqualTo(StatsLayout.ABI_VERSION);
        assertThat(Integer.parseInt(define(text, "EEKBP_HIST_BUCKETS"))).isEqualTo(StatsLayout.HIST_BUCKETS);
        assertThat(Integer.parseInt(define(text, "EEKBP_STATS_HEADER_SIZE"))).isEqualTo(StatsLayout.HEADER_SIZE);
        // the struct's u64 counters, in order, between "state;" and the histograms
        Matcher m = Pattern.compile("struct eekbp_cpu_stats \\{(.*?)\\};", Pattern.DOTALL).matcher(text);
        assertThat(m.find()).isTrue();
        java.util.List<String> u64 = new java.util.ArrayList<>();
        Matcher f = Pattern.compile("__u64 (\\w+);").matcher(m.group(1));
        while (f.find()) {
            u64.add(f.group(1));
        }
        java.util.List<String> expected = new java.util.ArrayList<>(java.util.List.of(StatsLayout.COUNTER_NAMES));
        expected.addAll(java.util.List.of(StatsLayout.EXT_COUNTER_NAMES));
        assertThat(u64).containsExactlyElementsOf(expected);
        assertThat(m.group(1).indexOf("__u64 " + StatsLayout.EXT_COUNTER_NAMES[0] + ";"))
                .as("appended counters follow the histograms")
                .isGreaterThan(m.group(1).indexOf("freq_lat_hist"));
        assertThat(Integer.parseInt(define(text, "EEKBP_CPU_STATS_EXT_COUNTERS")))
                .isEqualTo(StatsLayout.EXT_COUNTERS);
        assertThat(m.group(1)).contains("__u64 wake_lat_hist[EEKBP_HIST_BUCKETS]")
                .contains("__u64 freq_lat_hist[EEKBP_HIST_BUCKETS]");
        assertThat(m.group(1).indexOf("__u32 cpu;")).isLessThan(m.group(1).indexOf("__u32 state;"));
    }

    private static String define(String text, String name) {
        Matcher m = Pattern.compile("#define\\s+" + name + "\\s+(\\S+)").matcher(text);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }
}
