package dev.eekbp.agent.bench;

import dev.eekbp.agent.ffi.Affinity;
import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.telemetry.ThreadCpuReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threaded NAPI's kthreads (napi/DEV-N) of the bench's devices, pinned to
 * the served CPUs for a threaded cell, as make bench pins them, so the
 * stock peers poll where eekbp's threads do; each thread's own affinity is
 * written back after the cell. Not kept across a crash: a thread left
 * pinned keeps running, on the served CPUs only.
 */
public final class NapiThreadPins {
    /** How affinity is read and set; {@link Affinity} outside tests. */
    public interface Ops {
        BitSet get(int tid) throws NativeException;

        void set(int tid, BitSet cpus) throws NativeException;
    }

    /** comm is cut at 15 characters (TASK_COMM_LEN - 1). */
    private static final int COMM_MAX = 15;
    private static final Ops REAL = new Ops() {
        @Override
        public BitSet get(int tid) throws NativeException {
            return Affinity.get(tid);
        }

        @Override
        public void set(int tid, BitSet cpus) throws NativeException {
            Affinity.set(tid, cpus);
        }
    };

    private final Path proc;
    private final List<String> prefixes = new ArrayList<>();
    private final BitSet served;
    private final Ops ops;
    private final Map<Integer, BitSet> saved = new LinkedHashMap<>();

    public NapiThreadPins(Path proc, List<String> devices, BitSet served) {
        this(proc, devices, served, REAL);
    }

    NapiThreadPins(Path proc, List<String> devices, BitSet served, Ops ops) {
        this.proc = proc;
        this.served = (BitSet) served.clone();
        this.ops = ops;
        for (String d : devices) {
            String p = "napi/" + d + "-";
            prefixes.add(p.length() > COMM_MAX ? p.substring(0, COMM_MAX) : p);
        }
    }

    /** Thread ids whose comm is napi/DEV-... for one of the devices, ascending. */
    List<Integer> find() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (ThreadCpuReader.Task t : ThreadCpuReader.tasks(proc,
                comm -> prefixes.stream().anyMatch(comm::startsWith))) {
            out.add(t.pid());
        }
        out.sort(null);
        return out;
    }

    /**
     * Pins every napi thread of the devices to the served CPUs, saving its
     * affinity first; returns the threads pinned. A thread that exits
     * meanwhile is skipped.
     */
    public List<Integer> pin() throws IOException, NativeException {
        List<Integer> done = new ArrayList<>();
        for (int tid : find()) {
            BitSet before;
            try {
                before = ops.get(tid);
            } catch (NativeException e) {
                if (e.errnoName().equals("ESRCH")) {
                    continue;
                }
                throw e;
            }
            saved.putIfAbsent(tid, before);
            ops.set(tid, served);
            done.add(tid);
        }
        return done;
    }

    /** Writes every saved affinity back; problems as text, the rest still restored. */
    public List<String> restore() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, BitSet> e : saved.entrySet()) {
            try {
                ops.set(e.getKey(), e.getValue());
            } catch (NativeException x) {
                if (!x.errnoName().equals("ESRCH")) {
                    problems.add("napi thread " + e.getKey() + ": " + x.getMessage());
                }
            }
        }
        saved.clear();
        return problems;
    }
}
