package dev.eekbp.agent.config;

import java.util.BitSet;
import java.util.stream.IntStream;

/** An immutable set of CPU numbers written as a kernel cpulist ("0", "0-1,3"). */
public final class CpuList {
    /** Upper bound on CPU numbers accepted (NR_CPUS of Debian's x86-64 kernels). */
    public static final int MAX_CPU = 8191;

    private final BitSet cpus;

    private CpuList(BitSet cpus) {
        this.cpus = cpus;
    }

    /** Parses a cpulist; throws IllegalArgumentException with the reason. */
    public static CpuList parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty CPU list");
        }
        BitSet set = new BitSet();
        for (String part : s.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-');
            int lo;
            int hi;
            if (dash < 0) {
                lo = number(p, text);
                hi = lo;
            } else {
                lo = number(p.substring(0, dash), text);
                hi = number(p.substring(dash + 1), text);
            }
            if (lo > hi) {
                throw new IllegalArgumentException("descending range \"" + p + "\" in CPU list \"" + text + "\"");
            }
            set.set(lo, hi + 1);
        }
        return new CpuList(set);
    }

    private static int number(String s, String whole) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9') || s.length() > 5) {
            throw new IllegalArgumentException("\"" + s + "\" is not a CPU number in CPU list \"" + whole + "\"");
        }
        int n = Integer.parseInt(s);
        if (n > MAX_CPU) {
            throw new IllegalArgumentException("CPU " + n + " out of range 0.." + MAX_CPU);
        }
        return n;
    }

    public static CpuList of(int... cpus) {
        BitSet set = new BitSet();
        for (int c : cpus) {
            set.set(c);
        }
        return new CpuList(set);
    }

    public boolean contains(int cpu) {
        return cpus.get(cpu);
    }

    public IntStream stream() {
        return cpus.stream();
    }

    public int size() {
        return cpus.cardinality();
    }

    /** The CPUs not in {@code other}. */
    public CpuList minus(CpuList other) {
        BitSet b = (BitSet) cpus.clone();
        b.andNot(other.cpus);
        return new CpuList(b);
    }

    /** Canonical cpulist form, e.g. "0-2,5". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int i = cpus.nextSetBit(0);
        while (i >= 0) {
            int end = cpus.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = cpus.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuList c && c.cpus.equals(cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }
}
