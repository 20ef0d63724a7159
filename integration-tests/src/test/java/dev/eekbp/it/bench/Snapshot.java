package dev.eekbp.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Guest counters at one instant, parsed from a snapshot file the guest
 * script wrote (sections holding copies of /proc and sysfs files).
 *
 * @param timeMs        guest wall clock
 * @param cpuTicks      the served CPU's /proc/stat fields (user ... steal)
 * @param netRx         NET_RX softirqs per CPU
 * @param nicIrqs       hardIRQs of the NIC, all CPUs
 * @param nicRxIrqs     those of its receive queues (virtio "-input." lines)
 * @param threads       poll threads by pid
 * @param eekbp         /sys/kernel/eekbp/stats fields by CPU (empty when unloaded)
 * @param timeInState   cpufreq residency of the served CPU, kHz -> 10 ms units
 * @param totalTrans    cpufreq transitions of the served CPU (-1 without cpufreq)
 * @param udp           /proc/net/snmp Udp fields
 */
public record Snapshot(long timeMs, long[] cpuTicks, long[] netRx, long nicIrqs,
        long nicRxIrqs, Map<Integer, PollThread> threads, Map<Integer, Map<String, Long>> eekbp,
        Map<Long, Long> timeInState, long totalTrans, Map<String, Long> udp) {

    /**
     * One poll thread's cumulative CPU ticks, context switches and, from
     * /proc/&lt;pid&gt;/schedstat, nanoseconds on CPU (-1 when unknown).
     */
    public record PollThread(int pid, String comm, long utime, long stime, long voluntary,
            long involuntary, long runNs) {
    }

    /** Reads one snapshot file: sections headed "== &lt;name&gt;" (the guest's snap). */
    public static Snapshot read(Path file, int servedCpu) {
        try {
            return parse(Files.readString(file), servedCpu);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    static Snapshot parse(String text, int servedCpu) {
        Map<String, String> sec = sections(text);
        String trans = sec.getOrDefault("total_trans", "");
        return new Snapshot(Long.parseLong(sec.getOrDefault("time", "0").strip()),
                cpuTicks(sec.getOrDefault("stat", ""), servedCpu),
                netRx(sec.getOrDefault("softirqs", "")),
                nicIrqs(sec.getOrDefault("interrupts", ""), sec.getOrDefault("nic_irqs", ""), ""),
                nicIrqs(sec.getOrDefault("interrupts", ""), sec.getOrDefault("nic_irqs", ""),
                        "-input."),
                threads(sec.getOrDefault("threads", "")),
                eekbpStats(sec.getOrDefault("eekbp_stats", "")),
                timeInState(sec.getOrDefault("time_in_state", "")),
                trans.isBlank() ? -1 : Long.parseLong(trans.strip()),
                udp(sec.getOrDefault("snmp", "")));
    }

    static Map<String, String> sections(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("== ")) {
                if (name != null) {
                    out.put(name, body.toString());
                }
                name = line.substring(3).strip();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, body.toString());
        }
        return out;
    }

    static long[] cpuTicks(String stat, int cpu) {
        for (String line : stat.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w[0].equals("cpu" + cpu)) {
                long[] t = new long[8];
                for (int i = 0; i < t.length && i + 1 < w.length; i++) {
                    t[i] = Long.parseLong(w[i + 1]);
                }
                return t;
            }
        }
        throw new IllegalArgumentException("no cpu" + cpu + " line in /proc/stat");
    }

    static long[] netRx(String softirqs) {
        for (String line : softirqs.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w[0].equals("NET_RX:")) {
                long[] v = new long[w.length - 1];
                for (int i = 1; i < w.length; i++) {
                    v[i - 1] = Long.parseLong(w[i]);
                }
                return v;
            }
        }
        throw new IllegalArgumentException("no NET_RX line in /proc/softirqs");
    }

    /** Sums the per-CPU counts of the listed interrupts whose line contains {@code name}. */
    static long nicIrqs(String interrupts, String nicIrqList, String name) {
        List<String> wanted = List.of(nicIrqList.trim().split("\\s+"));
        String[] lines = interrupts.split("\n");
        int cpus = lines[0].trim().split("\\s+").length;
        long sum = 0;
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            if (w.length > cpus && wanted.contains(w[0].replace(":", ""))
                    && line.contains(name)) {
                for (int i = 1; i <= cpus; i++) {
                    sum += Long.parseLong(w[i]);
                }
            }
        }
        return sum;
    }

    static Map<Integer, PollThread> threads(String text) {
        Map<Integer, PollThread> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 6 || w.length == 7) {
                int pid = Integer.parseInt(w[0]);
                out.put(pid, new PollThread(pid, w[1], Long.parseLong(w[2]), Long.parseLong(w[3]),
                        Long.parseLong(w[4]), Long.parseLong(w[5]),
                        w.length == 7 ? Long.parseLong(w[6]) : -1));
            }
        }
        return out;
    }

    /** "cpu=N key=value ..." lines; non-numeric values are skipped. */
    static Map<Integer, Map<String, Long>> eekbpStats(String text) {
        Map<Integer, Map<String, Long>> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Map<String, Long> m = new LinkedHashMap<>();
            for (String kv : line.trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    try {
                        m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                    } catch (NumberFormatException e) {
                        // e.g. state=polling: not a counter.
                    }
                }
            }
            if (m.containsKey("cpu")) {
                out.put(m.get("cpu").intValue(), m);
            }
        }
        return out;
    }

    static Map<Long, Long> timeInState(String text) {
        Map<Long, Long> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 2) {
                out.put(Long.parseLong(w[0]), Long.parseLong(w[1]));
            }
        }
        return out;
    }

    static Map<String, Long> udp(String snmp) {
        String[] lines = snmp.split("\n");
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
                String[] k = lines[i].trim().split("\\s+");
                String[] v = lines[i + 1].trim().split("\\s+");
                for (int j = 1; j < k.length && j < v.length; j++) {
                    out.put(k[j], Long.parseLong(v[j]));
                }
                break;
            }
        }
        return out;
    }
}
