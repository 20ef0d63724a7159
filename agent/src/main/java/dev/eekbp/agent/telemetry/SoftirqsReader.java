package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import dev.eekbp.agent.ffi.TextScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** NET_RX and NET_TX softirq counts per CPU from /proc/softirqs, allocation-free. */
public final class SoftirqsReader implements AutoCloseable {
    private final SysFile file;
    private final long[] netRx = new long[InterruptsReader.MAX_CPUS];
    private final long[] netTx = new long[InterruptsReader.MAX_CPUS];
    private int cpus;

    public SoftirqsReader(SysFile file) {
        this.file = file;
    }

    public static SoftirqsReader open(Path procSoftirqs) throws IOException {
        return new SoftirqsReader(SysFile.open(procSoftirqs, 1 << 16));
    }

    public void sample() throws IOException {
        parse(file.read());
    }

    void parse(int len) {
        Arrays.fill(netRx, 0, cpus, 0);
        Arrays.fill(netTx, 0, cpus, 0);
        cpus = Math.min(ProcTable.cpuColumns(file, len), InterruptsReader.MAX_CPUS);
        int i = TextScan.nextLine(file, 0, len);
        while (i < len) {
            int lineEnd = TextScan.nextLine(file, i, len);
            int start = TextScan.skipSpaces(file, i, lineEnd);
            int colon = ProcTable.labelEnd(file, start, lineEnd);
            if (colon > start) {
                if (colon - start == 6 && TextScan.startsWith(file, start, colon, "NET_RX")) {
                    ProcTable.addCounts(file, colon + 1, lineEnd, cpus, netRx);
                } else if (colon - start == 6 && TextScan.startsWith(file, start, colon, "NET_TX")) {
                    ProcTable.addCounts(file, colon + 1, lineEnd, cpus, netTx);
                }
            }
            i = lineEnd;
        }
    }

    public int cpus() {
        return cpus;
    }

    public long netRx(int cpu) {
        return netRx[cpu];
    }

    public long netTx(int cpu) {
        return netTx[cpu];
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
