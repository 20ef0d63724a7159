package dev.eekbp.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.ConfigLoader;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.ModuleProbe;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.kernel.KernelException;
import dev.eekbp.agent.testutil.FakeSys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle on a fake sysfs tree where the module is already loaded (the
 * adoption path, which needs no syscalls).
 */
class AgentTest {
    @TempDir
    Path root;
    FakeSys sys;
    StateFile stateFile;
    Agent agent;

    static LoadedConfig cfg(String toml) throws ConfigException {
        return ConfigLoader.parse(Path.of("/etc/eekbp/eekbp.toml"), toml);
    }

    @BeforeEach
    void setUp() {
        sys = new FakeSys(root).machine().loadedModule();
        stateFile = new StateFile(root.resolve("run/eekbp/state.json"));
        agent = new Agent(new SysfsTree(root), stateFile, ModuleProbe.NONE);
    }

    @Test
    void startAdoptsLoadedModuleAndConfiguresEverything() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\nquota = 32\n"
                + "[placement]\nresume_latency_us = 20\n"));
        assertThat(agent.adopted()).isTrue();
        assertThat(sys.read("sys/kernel/eekbp/mode")).isEqualTo("eekbp");
        assertThat(sys.read("sys/kernel/eekbp/cpus")).isEqualTo("1");
        assertThat(sys.read("sys/kernel/eekbp/devices")).isEqualTo("eth0");
        assertThat(sys.read("sys/kernel/eekbp/quota")).isEqualTo("32");
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("1");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("1");
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("userspace");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("1");
        assertThat(sys.read("proc/irq/25/smp_affinity_list")).isEqualTo("1");
        assertThat(sys.read("sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us")).isEqualTo("20");
        RestoreState st = stateFile.read().orElseThrow();
        assertThat(st.governors()).containsEntry(1, "schedutil").hasSize(1);
        assertThat(st.irqAffinity()).containsEntry(24, "0-1").containsEntry(25, "0-1");
        assertThat(st.resumeLatency()).containsEntry(1, "0");
        assertThat(st.pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void reloadTogglesFrequencyControlAndRestoresGovernor() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"0\"\n"));
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("1");
        agent.reload(cfg("[kernel]\ncpus = \"0\"\n[frequency]\ncontrol = false\n"));
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("0");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(stateFile.read().orElseThrow().governors()).isEmpty();
        agent.reload(cfg("[kernel]\ncpus = \"0\"\n[frequency]\ncontrol = true\n"));
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("1");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("userspace");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("1");
    }

    @Test
    void rejectedReloadKeepsRunningConfiguration() throws Exception {
        LoadedConfig first = cfg("[kernel]\ncpus = \"0\"\nquota = 16\n");
        agent.start(first);
        assertThatThrownBy(() -> agent.reload(cfg("[kernel]\ncpus = \"0-3\"\nquota = 99\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/etc/eekbp/eekbp.toml:2: kernel.cpus: CPU(s) 2-3 not online");
        assertThat(sys.read("sys/kernel/eekbp/quota")).isEqualTo("16");
        assertThat(agent.config()).contains(first);
    }

    @Test
    void kernelRejectionDuringReloadRestoresGovernorsItSwitched() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"0\"\n[frequency]\ncontrol = false\n"));
        Path q = root.resolve("sys/kernel/eekbp/quota");
        Files.delete(q);
        Files.createDirectory(q); // the kernel "rejects" quota
        assertThatThrownBy(() -> agent.reload(cfg("[kernel]\ncpus = \"0\"\nquota = 8\n")))
                .isInstanceOf(KernelException.class).hasMessageContaining("quota");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("0");
    }

    @Test
    void restartAfterCrashReusesOriginalRestoreData() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"0\"\n"));
        // kill -9: no stop. A new agent starts on the same machine.
        Agent second = new Agent(new SysfsTree(root), stateFile, ModuleProbe.NONE);
        second.start(cfg("[kernel]\ncpus = \"0\"\n"));
        assertThat(second.adopted()).isTrue();
        RestoreState st = stateFile.read().orElseThrow();
        assertThat(st.governors()).containsEntry(0, "schedutil"); // not "userspace" seen after the crash
        assertThat(st.irqAffinity()).containsEntry(24, "0-1");
        // stop: module unload fails here (no module support), but CPUs are restored
        var problems = second.stop();
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("0");
        assertThat(problems).isNotEmpty().allMatch(p -> p.contains("unloading"));
    }

    @Test
    void unloadAfterCrashRestoresFromTheStateFile() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\n[placement]\nresume_latency_us = 3\n"));
        // kill -9, then `eekbp unload` in a new process
        Agent cli = new Agent(new SysfsTree(root), stateFile, ModuleProbe.NONE);
        var problems = cli.unloadWithSavedState(dev.eekbp.agent.config.Config.defaults());
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us")).isEqualTo("0");
        assertThat(sys.read("proc/irq/25/smp_affinity_list")).isEqualTo("0-1");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("0");
        // delete_module is ENOSYS on this machine: reported, and the restore data is kept for a retry
        assertThat(problems).anyMatch(p -> p.contains("ENOSYS"));
        assertThat(stateFile.read()).isPresent();
    }

    @Test
    void intelPstateActiveKeepsFrequencyControlOffAndNamesTheFix() throws Exception {
        sys.file("sys/devices/system/cpu/cpu0/cpufreq/scaling_driver", "intel_pstate\n");
        agent.start(cfg("[kernel]\ncpus = \"0\"\n"));
        assertThat(agent.freqSupport().usable()).isFalse();
        assertThat(agent.freqSupport().problem().orElseThrow()).contains("intel_pstate=passive");
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("0");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("1");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
    }

    @Test
    void missingModuleFilesFailBeforeAnyCpuChange() throws Exception {
        Files.walk(root.resolve("sys/module")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile()
                .delete());
        assertThatThrownBy(() -> agent.start(cfg("[kernel]\ncpus = \"0\"\nmodule_dir = \"" + root.resolve("mods")
                + "\"\n"))).isInstanceOf(KernelException.class).hasMessageContaining("module eekbp not found")
                .hasMessageContaining("module_dir");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
        assertThat(stateFile.read()).isEmpty();
    }
}
