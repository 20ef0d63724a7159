package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Per-thread statistics of the eekbp module from stats.bin, parsed into
 * preallocated arrays: a sample allocates nothing.
 */
public final class KernelStatsReader implements AutoCloseable {
    public static final int MAX_RECORDS = 256;

    private final SysFile file;
    private int records;
    private final int[] cpu = new int[MAX_RECORDS];
    private final int[] state = new int[MAX_RECORDS];
    private final long[] counters = new long[MAX_RECORDS * StatsLayout.ALL_COUNTERS];
    private final long[] wakeHist = new long[MAX_RECORDS * StatsLayout.HIST_BUCKETS];
    private final long[] freqHist = new long[MAX_RECORDS * StatsLayout.HIST_BUCKETS];
    private String error = "";

    private KernelStatsReader(SysFile file) {
        this.file = file;
    }

    /** A reader without a file, for parse() alone (tests, tools). */
    public static KernelStatsReader detached() {
        return new KernelStatsReader(null);
    }

    public static KernelStatsReader open(Path statsBin) throws IOException {
        return new KernelStatsReader(SysFile.open(statsBin,
                StatsLayout.HEADER_SIZE + MAX_RECORDS * StatsLayout.EXT_RECORD_SIZE));
    }

    /** Re-reads the file; false with error() set when it is malformed. */
    public boolean sample() throws IOException {
        int n = file.read();
        ByteBuffer b = file.buffer();
        b.order(ByteOrder.LITTLE_ENDIAN);
        return parse(b, n);
    }

    /** Parses len bytes of b (little endian) into the arrays. */
    public boolean parse(ByteBuffer b, int len) {
        records = 0;
        if (len < StatsLayout.HEADER_SIZE) {
            error = "stats.bin shorter than its header (" + len + " bytes)";
            return false;
        }
        int magic = b.getInt(0);
        int abi = Short.toUnsignedInt(b.getShort(4));
        int nr = Short.toUnsignedInt(b.getShort(6));
        int recSize = b.getInt(8);
        int buckets = b.getInt(12);
        if (magic != StatsLayout.MAGIC) {
            error = "stats.bin magic 0x" + Integer.toHexString(magic) + ", expected 0x50424b45";
            return false;
        }
        if (abi != StatsLayout.ABI_VERSION) {
            error = "stats.bin ABI version " + abi + ", this agent reads " + StatsLayout.ABI_VERSION;
            return false;
        }
        if (recSize < StatsLayout.RECORD_SIZE || buckets != StatsLayout.HIST_BUCKETS) {
            error = "stats.bin record size " + recSize + " / " + buckets + " buckets do not match ABI 1";
            return false;
        }
        if (nr > MAX_RECORDS || StatsLayout.HEADER_SIZE + (long) nr * recSize > len) {
            error = "stats.bin announces " + nr + " records but holds " + len + " bytes";
            return false;
        }
        for (int r = 0; r < nr; r++) {
            int o = StatsLayout.HEADER_SIZE + r * recSize;
            cpu[r] = b.getInt(o);
            state[r] = b.getInt(o + 4);
            int c = r * StatsLayout.ALL_COUNTERS;
            for (int k = 0; k < StatsLayout.COUNTERS; k++) {
                counters[c + k] = b.getLong(o + 8 + k * 8);
            }
            boolean ext = recSize >= StatsLayout.EXT_RECORD_SIZE;
            for (int k = 0; k < StatsLayout.EXT_COUNTERS; k++) {
                counters[c + StatsLayout.COUNTERS + k] =
                        ext ? b.getLong(o + StatsLayout.RECORD_SIZE + k * 8) : 0;
            }
            int h = r * StatsLayout.HIST_BUCKETS;
            int wo = o + 8 + StatsLayout.COUNTERS * 8;
            int fo = wo + StatsLayout.HIST_BUCKETS * 8;
            for (int k = 0; k < StatsLayout.HIST_BUCKETS; k++) {
                wakeHist[h + k] = b.getLong(wo + k * 8);
                freqHist[h + k] = b.getLong(fo + k * 8);
            }
        }
        records = nr;
        error = "";
        return true;
    }

    public int records() {
        return records;
    }

    public int cpu(int r) {
        return cpu[r];
    }

    public int state(int r) {
        return state[r];
    }

    /** Counter k (a StatsLayout index, appended counters after COUNTERS) of record r. */
    public long counter(int r, int k) {
        return counters[r * StatsLayout.ALL_COUNTERS + k];
    }

    public long wakeHist(int r, int slot) {
        return wakeHist[r * StatsLayout.HIST_BUCKETS + slot];
    }

    public long freqHist(int r, int slot) {
        return freqHist[r * StatsLayout.HIST_BUCKETS + slot];
    }

    /** Sum of counter k over all records. */
    public long total(int k) {
        long s = 0;
        for (int r = 0; r < records; r++) {
            s += counter(r, k);
        }
        return s;
    }

    /** Threads currently polling. */
    public int polling() {
        int n = 0;
        for (int r = 0; r < records; r++) {
            if (state[r] == StatsLayout.STATE_POLLING) {
                n++;
            }
        }
        return n;
    }

    public String error() {
        return error;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
