package dev.eekbp.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.ModuleProbe;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.kernel.ModuleSyscalls;
import dev.eekbp.agent.service.Agent;
import dev.eekbp.agent.service.StateFile;
import dev.eekbp.agent.testutil.FakeSys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's mode switches on a fake tree (module adopted, syscalls simulated). */
class AgentSwitcherTest {
    @TempDir
    Path root;

    @Test
    void napiIrqPinsAreInTheStateFileSoACrashCanBeUndone() throws Exception {
        FakeSys sys = new FakeSys(root).machine();
        StateFile state = new StateFile(root.resolve("run/eekbp/state.json"));
        SysfsTree fs = new SysfsTree(root);
        LoadedConfig lc = ConfigLoader.parse(Path.of("/etc/eekbp/eekbp.toml"),
                "[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\n");
        var switcher = new AgentSwitcher(new Agent(fs, state, ModuleProbe.NONE, ModuleSyscalls.tree(fs)), lc);
        switcher.enter(BenchMode.parseList("napi").get(0));
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("1");
        assertThat(state.read().orElseThrow().irqAffinity()).containsEntry(24, "0-1").containsEntry(25, "0-1");
        // the bench is killed here; `eekbp unload` in a new process puts the pins back
        new Agent(fs, state, ModuleProbe.NONE, ModuleSyscalls.tree(fs)).unloadWithSavedState(Config.defaults());
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
        assertThat(sys.read("proc/irq/25/smp_affinity_list")).isEqualTo("0-1");
    }

    @Test
    void restoreIsIdempotentForTheShutdownHook() throws Exception {
        FakeSys sys = new FakeSys(root).machine().loadedModule();
        StateFile state = new StateFile(root.resolve("run/eekbp/state.json"));
        SysfsTree fs = new SysfsTree(root);
        LoadedConfig lc = ConfigLoader.parse(Path.of("/etc/eekbp/eekbp.toml"), "[kernel]\ncpus = \"1\"\n");
        var switcher = new AgentSwitcher(new Agent(fs, state, ModuleProbe.NONE, ModuleSyscalls.tree(fs)), lc);
        switcher.enter(BenchMode.parseList("eekbp-freq").get(0));
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("userspace");
        assertThat(switcher.restore()).isEmpty();
        assertThat(switcher.restore()).isEmpty();
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(state.read()).isEmpty();
    }
}
