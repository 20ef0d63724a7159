package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import dev.eekbp.agent.ffi.TextScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * hardIRQ counts per CPU of a chosen set of IRQ numbers (the NICs' queues)
 * from /proc/interrupts. Parsing is allocation-free.
 */
public final class InterruptsReader implements AutoCloseable {
    public static final int MAX_CPUS = 1024;

    private final SysFile file;
    private final int[] irqs;
    private final long[] perCpu = new long[MAX_CPUS];
    private int cpus;

    /** irqs: the IRQ numbers to count (sorted copy kept). */
    public InterruptsReader(SysFile file, int[] irqs) {
        this.file = file;
        this.irqs = irqs.clone();
        Arrays.sort(this.irqs);
    }

    public static InterruptsReader open(Path procInterrupts, int[] irqs) throws IOException {
        return new InterruptsReader(SysFile.open(procInterrupts, 1 << 20), irqs);
    }

    /** Re-reads the file and recomputes the per-CPU sums. */
    public void sample() throws IOException {
        parse(file.read());
    }

    void parse(int len) {
        Arrays.fill(perCpu, 0, Math.max(cpus, 0), 0);
        cpus = Math.min(ProcTable.cpuColumns(file, len), MAX_CPUS);
        int i = TextScan.nextLine(file, 0, len);
        while (i < len) {
            int lineEnd = TextScan.nextLine(file, i, len);
            int start = TextScan.skipSpaces(file, i, lineEnd);
            int colon = ProcTable.labelEnd(file, start, lineEnd);
            if (colon > start && TextScan.isDigit(file.byteAt(start))) {
                long irq = TextScan.parseUnsigned(file, start, colon);
                if (irq >= 0 && irq <= Integer.MAX_VALUE && Arrays.binarySearch(irqs, (int) irq) >= 0) {
                    ProcTable.addCounts(file, colon + 1, lineEnd, cpus, perCpu);
                }
            }
            i = lineEnd;
        }
    }

    public int cpus() {
        return cpus;
    }

    /** Selected IRQs handled on cpu since boot. */
    public long count(int cpu) {
        return perCpu[cpu];
    }

    public int[] irqs() {
        return irqs.clone();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
