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
import dev.eekbp.agent.ffi.Errno;
import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.kernel.ModuleSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle on a fake sysfs tree where the module is already loaded (the
 * adoption path); module syscalls are simulated in the tree, never made.
 */
class AgentTest {
    @TempDir
    Path root;
    FakeSys sys;
    StateFile stateFile;
    Agent agent;
    final List<String> deleted = new ArrayList<>();

    /** Simulated module syscalls that record what was unloaded. */
    ModuleSyscalls modules(SysfsTree fs) {
        ModuleSyscalls tree = ModuleSyscalls.tree(fs);
        return new ModuleSyscalls() {
            @Override
            public void load(Path ko, String params, boolean kernelDecompresses) throws NativeException {
                tree.load(ko, params, kernelDecompresses);
            }

            @Override
            public void loadImage(byte[] image, String params) throws NativeException {
                tree.loadImage(image, params);
            }

            @Override
            public void delete(String name) throws NativeException {
                deleted.add(name);
                tree.delete(name);
            }
        };
    }

    Agent newAgent(SysfsTree fs) {
        return new Agent(fs, stateFile, ModuleProbe.NONE, modules(fs));
    }

    /** A tree that logs every write as "relative/path=value" and can run a check before each. */
    static final class Recording extends SysfsTree {
        final List<String> writes = new ArrayList<>();
        java.util.function.BiConsumer<String, String> beforeWrite = (p, v) -> { };

        Recording(Path root) {
            super(root);
        }

        @Override
        public void write(String relative, String value) throws IOException {
            beforeWrite.accept(relative, value);
            writes.add(relative + "=" + value);
            super.write(relative, value);
        }
    }

    static LoadedConfig cfg(String toml) throws ConfigException {
        return ConfigLoader.parse(Path.of("/etc/eekbp/eekbp.toml"), toml);
    }

    @BeforeEach
    void setUp() {
        sys = new FakeSys(root).machine().loadedModule();
        stateFile = new StateFile(root.resolve("run/eekbp/state.json"));
        agent = newAgent(new SysfsTree(root));
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
        agent.start(cfg("[kernel]\ncpus = \"0\"\ndevices = [\"eth0\"]\n"));
        // kill -9: no stop. A new agent starts on the same machine.
        Agent second = newAgent(new SysfsTree(root));
        second.start(cfg("[kernel]\ncpus = \"0\"\ndevices = [\"eth0\"]\n"));
        assertThat(second.adopted()).isTrue();
        RestoreState st = stateFile.read().orElseThrow();
        assertThat(st.governors()).containsEntry(0, "schedutil"); // not "userspace" seen after the crash
        assertThat(st.irqAffinity()).containsEntry(24, "0-1");
        var problems = second.stop();
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("0");
        assertThat(problems).isEmpty();
        assertThat(deleted).containsExactly("eekbp_livepatch", "eekbp");
        assertThat(stateFile.read()).isEmpty();
    }

    @Test
    void unloadAfterCrashRestoresFromTheStateFile() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\n[placement]\nresume_latency_us = 3\n"));
        // kill -9, then `eekbp unload` in a new process
        Agent cli = newAgent(new SysfsTree(root));
        var problems = cli.unloadWithSavedState(dev.eekbp.agent.config.Config.defaults());
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us")).isEqualTo("0");
        assertThat(sys.read("proc/irq/25/smp_affinity_list")).isEqualTo("0-1");
        assertThat(sys.read("sys/kernel/eekbp/enabled")).isEqualTo("0");
        assertThat(problems).isEmpty();
        assertThat(deleted).containsExactly("eekbp_livepatch", "eekbp");
        assertThat(stateFile.read()).isEmpty();
    }

    @Test
    void failedUnloadIsReportedAndKeepsTheRestoreData() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\n"));
        ModuleSyscalls refusing = new ModuleSyscalls() {
            @Override
            public void load(Path ko, String params, boolean kernelDecompresses) throws NativeException {
                throw NativeException.of("finit_module", Errno.EPERM, ko.toString());
            }

            @Override
            public void loadImage(byte[] image, String params) throws NativeException {
                throw NativeException.of("init_module", Errno.EPERM, "image");
            }

            @Override
            public void delete(String name) throws NativeException {
                throw NativeException.of("delete_module", Errno.EPERM, name);
            }
        };
        Agent cli = new Agent(new SysfsTree(root), stateFile, ModuleProbe.NONE, refusing);
        var problems = cli.unloadWithSavedState(dev.eekbp.agent.config.Config.defaults());
        assertThat(problems).anyMatch(p -> p.contains("EPERM"));
        assertThat(stateFile.read()).isPresent();
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
    }

    @Test
    void everyOriginalValueIsSavedBeforeItChanges() throws Exception {
        Recording fs = new Recording(root);
        List<String> unsaved = new ArrayList<>();
        fs.beforeWrite = (path, value) -> {
            try {
                RestoreState st = stateFile.read().orElseGet(RestoreState::new);
                if (path.endsWith("scaling_governor") && !st.governors().containsKey(1)
                        || path.startsWith("proc/irq/") && !st.irqAffinity().containsKey(
                                Integer.parseInt(path.split("/")[2]))
                        || path.endsWith("pm_qos_resume_latency_us") && !st.resumeLatency().containsKey(1)) {
                    unsaved.add(path + "=" + value);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        newAgent(fs).start(cfg("[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\n"
                + "[placement]\nresume_latency_us = 20\n"));
        assertThat(fs.writes).contains("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor=userspace",
                "proc/irq/24/smp_affinity_list=1", "sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us=20");
        assertThat(unsaved).as("writes made before the old value was in the state file").isEmpty();
    }

    @Test
    void stopRestoresCpuSettingsBeforeUnpatching() throws Exception {
        Recording fs = new Recording(root);
        Agent a = newAgent(fs);
        a.start(cfg("[kernel]\ncpus = \"1\"\n"));
        fs.writes.clear();
        assertThat(a.stop()).isEmpty();
        int governor = fs.writes.indexOf("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor=schedutil");
        int unpatch = fs.writes.indexOf("sys/kernel/livepatch/eekbp_livepatch/enabled=0");
        assertThat(governor).isGreaterThanOrEqualTo(0);
        assertThat(unpatch).isGreaterThan(governor);
        assertThat(fs.writes.get(0)).isEqualTo("sys/kernel/eekbp/enabled=0");
    }

    @Test
    void stopIsBoundedWhenTheLivepatchTransitionHangs() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\n"));
        sys.file("sys/kernel/livepatch/eekbp_livepatch/transition", "1\n"); // never finishes
        var problems = agent.stop(java.time.Duration.ZERO);
        assertThat(problems).anyMatch(p -> p.contains("transition"));
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(stateFile.read()).isPresent(); // kept for `eekbp unload`
    }

    @Test
    void abortedStartUndoesItself() throws Exception {
        sys.file("sys/kernel/livepatch/eekbp_livepatch/transition", "1\n"); // start waits here
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                agent.start(cfg("[kernel]\ncpus = \"1\"\n"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        while (!sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor").equals("userspace")
                && t.isAlive()) {
            Thread.onSpinWait();
        }
        agent.abortStart();
        t.join();
        assertThat(failure.get()).isInstanceOf(KernelException.class).hasMessageContaining("stop requested");
        assertThat(sys.read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(agent.config()).isEmpty();
    }

    @Test
    void failedReloadRollsBackEveryStep() throws Exception {
        LoadedConfig first = cfg("[kernel]\ncpus = \"1\"\nquota = 16\ndevices = [\"eth0\"]\n"
                + "[frequency]\ncontrol = false\n");
        agent.start(first);
        String before = Files.readString(stateFile.path());
        Files.delete(root.resolve("sys/devices/system/cpu/cpu0/power/pm_qos_resume_latency_us"));
        assertThatThrownBy(() -> agent.reload(cfg("[kernel]\ncpus = \"0\"\nquota = 8\ndevices = [\"eth0\"]\n"
                + "[placement]\nresume_latency_us = 5\n"))).isInstanceOf(dev.eekbp.agent.cpu.CpuException.class);
        assertThat(sys.read("sys/kernel/eekbp/quota")).isEqualTo("16");
        assertThat(sys.read("sys/kernel/eekbp/cpus")).isEqualTo("1");
        assertThat(sys.read("sys/kernel/eekbp/freq_ctl")).isEqualTo("0");
        assertThat(sys.read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("schedutil");
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("1");
        assertThat(Files.readString(stateFile.path())).isEqualTo(before);
        assertThat(agent.config()).contains(first);
    }

    @Test
    void livepatchReplacedAfterStartIsReported() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\n"));
        assertThat(agent.livepatchProblem()).isEmpty();
        sys.file("sys/kernel/livepatch/eekbp_livepatch/enabled", "0\n");
        assertThat(agent.livepatchProblem()).hasValueSatisfying(p -> assertThat(p).contains("disabled")
                .contains("restart"));
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

    @Test
    void irqMovedByIrqbalanceIsPinnedAgainAndCounted() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\ndevices = [\"eth0\"]\n"));
        assertThat(agent.reassertIrqAffinity()).isZero();
        sys.file("proc/irq/24/smp_affinity_list", "0\n"); // irqbalance moved it
        assertThat(agent.reassertIrqAffinity()).isEqualTo(1);
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("1");
        assertThat(agent.irqOverrides()).isEqualTo(1);
        assertThat(stateFile.read().orElseThrow().irqAffinity()).containsEntry(24, "0-1"); // original kept
    }

    @Test
    void noDevicesNamedMeansNoIrqMoved() throws Exception {
        agent.start(cfg("[kernel]\ncpus = \"1\"\n"));
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
        assertThat(stateFile.read().orElseThrow().irqAffinity()).isEmpty();
        agent.reload(cfg("[kernel]\ncpus = \"1\"\n[placement]\nirq_affinity = \"all\"\n"));
        assertThat(sys.read("proc/irq/24/smp_affinity_list")).isEqualTo("1");
    }
}
