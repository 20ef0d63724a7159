package dev.eekbp.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcReadersTest {
    @TempDir
    Path dir;

    @Test
    void interruptsSumsTheChosenIrqsPerCpu() throws IOException {
        FakeSystem fs = new FakeSystem(dir).build();
        try (InterruptsReader r = InterruptsReader.open(fs.paths().proc().resolve("interrupts"), new int[] {26, 25})) {
            r.sample();
            assertThat(r.cpus()).isEqualTo(2);
            assertThat(r.count(0)).isEqualTo(1205);
            assertThat(r.count(1)).isEqualTo(734);
            // a second read of changed content starts from zero again
            Files.writeString(fs.paths().proc().resolve("interrupts"),
                    FakeSystem.INTERRUPTS.replace("1200         34", "1300         35"));
            r.sample();
            assertThat(r.count(0)).isEqualTo(1305);
            assertThat(r.count(1)).isEqualTo(735);
        }
    }

    @Test
    void softirqsNetRxAndNetTx() throws IOException {
        FakeSystem fs = new FakeSystem(dir).build();
        try (SoftirqsReader r = SoftirqsReader.open(fs.paths().proc().resolve("softirqs"))) {
            r.sample();
            assertThat(r.cpus()).isEqualTo(2);
            assertThat(r.netRx(0)).isEqualTo(1500);
            assertThat(r.netRx(1)).isEqualTo(820);
            assertThat(r.netTx(1)).isEqualTo(11);
        }
    }

    @Test
    void nicIrqsFromMsiFolderAndNames() throws IOException {
        FakeSystem fs = new FakeSystem(dir).build();
        Path net = fs.paths().sysClassNet();
        assertThat(NicIrqs.netdevs(net, List.of())).containsExactly("eth0");
        int[] irqs = NicIrqs.discover(net, List.of("eth0"), FakeSystem.INTERRUPTS);
        assertThat(irqs).containsExactly(24, 25, 26);
    }

    @Test
    void nicIrqsByNameOnly() {
        String text = """
                           CPU0
                 30:         10   PCI-MSI 1-edge      eth1-rx-0
                 31:         10   PCI-MSI 2-edge      eth1-tx-0
                 32:         10   PCI-MSI 3-edge      eth10-rx-0
                 33:         10   PCI-MSI 4-edge      eth1
                """;
        assertThat(NicIrqs.discover(dir, List.of("eth1"), text)).containsExactly(30, 31, 33);
    }

    @Test
    void cpufreqAndCpuidle() throws IOException {
        FakeSystem fs = new FakeSystem(dir).build();
        try (CpufreqReader f = CpufreqReader.open(fs.paths().sysCpu());
                CpuidleReader i = CpuidleReader.open(fs.paths().sysCpu())) {
            f.sample();
            i.sample();
            assertThat(f.size()).isEqualTo(2);
            assertThat(f.currentKhz(0)).isEqualTo(2_400_000);
            assertThat(f.transitions(0)).isEqualTo(17);
            assertThat(f.states(1)).isEqualTo(3);
            assertThat(f.stateKhz(1, 2)).isEqualTo(2_400_000);
            assertThat(f.stateSeconds(1, 2)).isEqualTo(0.5);
            assertThat(i.size()).isEqualTo(4);
            assertThat(i.state(1)).isEqualTo("C1");
            assertThat(i.residencySeconds(1)).isEqualTo(42.0);
            assertThat(i.entries(1)).isEqualTo(900);
        }
    }

    @Test
    void threadCpuTimeOfEekbpThreadsOnly() throws IOException {
        FakeSystem fs = new FakeSystem(dir).build();
        fs.thread(102, "eekbp (x) y", 3, 4); // comm with spaces and parentheses
        try (ThreadCpuReader t = new ThreadCpuReader(fs.paths().proc(), "eekbp")) {
            t.discover();
            t.sample();
            assertThat(t.size()).isEqualTo(3);
            assertThat(t.name(0)).isEqualTo("eekbp/0");
            assertThat(t.userSeconds(0)).isEqualTo(0.12);
            assertThat(t.systemSeconds(0)).isEqualTo(3.45);
            assertThat(t.userSeconds(2)).isEqualTo(0.03);
            assertThat(t.systemSeconds(2)).isEqualTo(0.04);
            assertThat(t.stale()).isFalse();
        }
    }
}
