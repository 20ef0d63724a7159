package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import dev.eekbp.agent.ffi.TextScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-CPU cpufreq: current frequency, transitions and time in each state
 * (stats/time_in_state, in 10 ms units). Files are opened once; a sample
 * re-reads them without allocating. CPUs without cpufreq are skipped.
 */
public final class CpufreqReader implements AutoCloseable {
    public static final int MAX_STATES = 64;

    private final int[] cpus;
    private final SysFile[] cur;
    private final SysFile[] trans;
    private final SysFile[] tis;
    private final long[] curKhz;
    private final long[] transitions;
    private final long[] stateKhz;
    private final long[] stateTime10ms;
    private final int[] stateCount;

    private CpufreqReader(List<Integer> cpuList, List<SysFile[]> files) {
        int n = cpuList.size();
        cpus = new int[n];
        cur = new SysFile[n];
        trans = new SysFile[n];
        tis = new SysFile[n];
        for (int i = 0; i < n; i++) {
            cpus[i] = cpuList.get(i);
            cur[i] = files.get(i)[0];
            trans[i] = files.get(i)[1];
            tis[i] = files.get(i)[2];
        }
        curKhz = new long[n];
        transitions = new long[n];
        stateKhz = new long[n * MAX_STATES];
        stateTime10ms = new long[n * MAX_STATES];
        stateCount = new int[n];
    }

    /** sysCpu is /sys/devices/system/cpu. */
    public static CpufreqReader open(Path sysCpu) throws IOException {
        List<Integer> cpuList = new ArrayList<>();
        List<SysFile[]> files = new ArrayList<>();
        for (int cpu : CpuDirs.list(sysCpu)) {
            Path d = sysCpu.resolve("cpu" + cpu).resolve("cpufreq");
            Path curPath = d.resolve("scaling_cur_freq");
            if (!Files.isReadable(curPath)) {
                continue;
            }
            SysFile[] f = new SysFile[3];
            f[0] = SysFile.open(curPath, 32);
            Path t = d.resolve("stats/total_trans");
            f[1] = Files.isReadable(t) ? SysFile.open(t, 32) : null;
            Path s = d.resolve("stats/time_in_state");
            f[2] = Files.isReadable(s) ? SysFile.open(s, 4096) : null;
            cpuList.add(cpu);
            files.add(f);
        }
        return new CpufreqReader(cpuList, files);
    }

    public void sample() throws IOException {
        for (int i = 0; i < cpus.length; i++) {
            curKhz[i] = cur[i].readLong();
            transitions[i] = trans[i] != null ? trans[i].readLong() : 0;
            if (tis[i] != null) {
                parseTimeInState(i);
            }
        }
    }

    private void parseTimeInState(int i) throws IOException {
        SysFile f = tis[i];
        int len = f.read();
        int n = 0;
        int p = 0;
        while (p < len && n < MAX_STATES) {
            int end = TextScan.nextLine(f, p, len);
            long khz = TextScan.parseUnsigned(f, p, end);
            int q = TextScan.skipSpaces(f, TextScan.skipDigits(f, p, end), end);
            long t = TextScan.parseUnsigned(f, q, end);
            if (khz >= 0 && t >= 0) {
                stateKhz[i * MAX_STATES + n] = khz;
                stateTime10ms[i * MAX_STATES + n] = t;
                n++;
            }
            p = end;
        }
        stateCount[i] = n;
    }

    /** CPUs with cpufreq (index i below is into this list). */
    public int size() {
        return cpus.length;
    }

    public int cpu(int i) {
        return cpus[i];
    }

    public long currentKhz(int i) {
        return curKhz[i];
    }

    public long transitions(int i) {
        return transitions[i];
    }

    public int states(int i) {
        return stateCount[i];
    }

    public long stateKhz(int i, int s) {
        return stateKhz[i * MAX_STATES + s];
    }

    /** Time spent at state s, in seconds. */
    public double stateSeconds(int i, int s) {
        return stateTime10ms[i * MAX_STATES + s] / 100.0;
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < cpus.length; i++) {
            cur[i].close();
            if (trans[i] != null) {
                trans[i].close();
            }
            if (tis[i] != null) {
                tis[i].close();
            }
        }
    }
}
