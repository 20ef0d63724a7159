package dev.eekbp.agent.telemetry;

import dev.eekbp.agent.ffi.SysFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cpuidle residency (time, us) and entries (usage) per CPU and idle state.
 * State names are read once at open; samples re-read two numbers per state.
 */
public final class CpuidleReader implements AutoCloseable {
    private final int[] cpu;
    private final String[] state;
    private final SysFile[] time;
    private final SysFile[] usage;
    private final long[] timeUs;
    private final long[] entries;

    private CpuidleReader(List<Integer> cpus, List<String> names, List<SysFile> times, List<SysFile> usages) {
        int n = cpus.size();
        cpu = new int[n];
        for (int i = 0; i < n; i++) {
            cpu[i] = cpus.get(i);
        }
        state = names.toArray(new String[0]);
        time = times.toArray(new SysFile[0]);
        usage = usages.toArray(new SysFile[0]);
        timeUs = new long[n];
        entries = new long[n];
    }

    public static CpuidleReader open(Path sysCpu) throws IOException {
        List<Integer> cpus = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<SysFile> times = new ArrayList<>();
        List<SysFile> usages = new ArrayList<>();
        for (int c : CpuDirs.list(sysCpu)) {
            Path dir = sysCpu.resolve("cpu" + c).resolve("cpuidle");
            for (int s = 0; Files.isDirectory(dir.resolve("state" + s)); s++) {
                Path sd = dir.resolve("state" + s);
                if (!Files.isReadable(sd.resolve("time")) || !Files.isReadable(sd.resolve("usage"))) {
                    continue;
                }
                String name = Files.isReadable(sd.resolve("name"))
                        ? Files.readString(sd.resolve("name")).trim() : "state" + s;
                cpus.add(c);
                names.add(name);
                times.add(SysFile.open(sd.resolve("time"), 32));
                usages.add(SysFile.open(sd.resolve("usage"), 32));
            }
        }
        return new CpuidleReader(cpus, names, times, usages);
    }

    public void sample() throws IOException {
        for (int i = 0; i < cpu.length; i++) {
            timeUs[i] = time[i].readLong();
            entries[i] = usage[i].readLong();
        }
    }

    /** Number of (cpu, state) rows. */
    public int size() {
        return cpu.length;
    }

    public int cpu(int i) {
        return cpu[i];
    }

    public String state(int i) {
        return state[i];
    }

    public double residencySeconds(int i) {
        return timeUs[i] / 1e6;
    }

    public long entries(int i) {
        return entries[i];
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < cpu.length; i++) {
            time[i].close();
            usage[i].close();
        }
    }
}
