package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.NativeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which threads are pinned and what is put back; affinity calls recorded, /proc a temp tree. */
class NapiThreadPinsTest {

    /** Affinity per tid; a tid absent from the map is a thread that exited. */
    private static final class FakeOps implements NapiThreadPins.Ops {
        final Map<Integer, BitSet> cpus = new HashMap<>();

        @Override
        public BitSet get(int tid) throws NativeException {
            BitSet b = cpus.get(tid);
            if (b == null) {
                throw NativeException.of("sched_getaffinity", Errno.ESRCH, "thread " + tid);
            }
            return (BitSet) b.clone();
        }

        @Override
        public void set(int tid, BitSet s) throws NativeException {
            if (!cpus.containsKey(tid)) {
                throw NativeException.of("sched_setaffinity", Errno.ESRCH, "thread " + tid);
            }
            cpus.put(tid, (BitSet) s.clone());
        }
    }

    private static BitSet cpus(int... c) {
        BitSet b = new BitSet();
        for (int x : c) {
            b.set(x);
        }
        return b;
    }

    private static void thread(Path proc, int tid, String comm) throws Exception {
        Files.createDirectories(proc.resolve(Integer.toString(tid)));
        Files.writeString(proc.resolve(tid + "/comm"), comm + "\n");
    }

    @Test
    void pinsTheDevicesNapiThreadsOnlyAndRestoresEach(@TempDir Path proc) throws Exception {
        thread(proc, 101, "napi/eth0-8193");
        thread(proc, 102, "napi/eth0-8194");
        thread(proc, 103, "napi/eth1-8195"); // another NIC
        thread(proc, 104, "napi/enp1s0f0np0"); // comm cut at 15 characters
        thread(proc, 105, "ksoftirqd/0");
        Files.createDirectories(proc.resolve("self"));
        FakeOps ops = new FakeOps();
        for (int t = 101; t <= 105; t++) {
            ops.cpus.put(t, cpus(0, 1, 2, 3));
        }
        ops.cpus.put(102, cpus(3));
        var pins = new NapiThreadPins(proc, List.of("eth0", "enp1s0f0np0"), cpus(1), ops);

        assertThat(pins.pin()).containsExactly(101, 102, 104);
        assertThat(ops.cpus.get(101)).isEqualTo(cpus(1));
        assertThat(ops.cpus.get(103)).as("other NIC untouched").isEqualTo(cpus(0, 1, 2, 3));
        assertThat(ops.cpus.get(105)).isEqualTo(cpus(0, 1, 2, 3));

        assertThat(pins.restore()).isEmpty();
        assertThat(ops.cpus.get(101)).isEqualTo(cpus(0, 1, 2, 3));
        assertThat(ops.cpus.get(102)).as("each thread's own affinity").isEqualTo(cpus(3));
        assertThat(ops.cpus.get(104)).isEqualTo(cpus(0, 1, 2, 3));
    }

    @Test
    void threadsThatExitAreSkippedNotErrors(@TempDir Path proc) throws Exception {
        thread(proc, 201, "napi/eth0-1");
        thread(proc, 202, "napi/eth0-2");
        FakeOps ops = new FakeOps();
        ops.cpus.put(202, cpus(0, 1));
        var pins = new NapiThreadPins(proc, List.of("eth0"), cpus(0), ops);
        assertThat(pins.pin()).as("201 exited before it was read").containsExactly(202);
        ops.cpus.remove(202); // and 202 before the restore
        assertThat(pins.restore()).isEmpty();
    }

    @Test
    void noDevicesPinNothing(@TempDir Path proc) throws Exception {
        thread(proc, 301, "napi/eth0-1");
        FakeOps ops = new FakeOps();
        ops.cpus.put(301, cpus(0, 1));
        assertThat(new NapiThreadPins(proc, List.of(), cpus(0), ops).pin()).isEmpty();
        assertThat(ops.cpus.get(301)).isEqualTo(cpus(0, 1));
    }
}
