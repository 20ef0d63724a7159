package dev.eekbp.agent.service;

import dev.eekbp.agent.config.Config;
import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.FreqSupport;
import dev.eekbp.agent.cpu.Governors;
import dev.eekbp.agent.cpu.IrqAffinity;
import dev.eekbp.agent.cpu.ModuleProbe;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.kernel.Change;
import dev.eekbp.agent.kernel.KernelControl;
import dev.eekbp.agent.kernel.KernelException;
import dev.eekbp.agent.kernel.ModuleLoader;
import dev.eekbp.agent.kernel.ModuleSyscalls;
import dev.eekbp.agent.kernel.SettingsPlan;
import dev.eekbp.agent.kernel.Uapi;
import java.util.ArrayList;
import java.util.List;

/** `eekbp apply --dry-run`: what applying a config would change, without changing anything. */
public final class DryRun {
    private DryRun() {
    }

    public static List<String> plan(LoadedConfig lc, SysfsTree fs) throws ConfigException {
        EnvironmentCheck.check(lc, fs);
        Config c = lc.config();
        List<String> out = new ArrayList<>();
        boolean freqCtl = false;
        Governors g = new Governors(fs, ModuleProbe.NONE);
        if (c.frequency().control()) {
            FreqSupport s = g.check(c.kernel().cpus());
            freqCtl = s.usable();
            s.problem().ifPresent(p -> out.add("warning: " + p));
            if (freqCtl) {
                c.kernel().cpus().stream().forEach(cpu -> {
                    String cur = g.current(cpu);
                    if (!cur.equals(Governors.USERSPACE)) {
                        out.add("cpu" + cpu + " governor: \"" + cur + "\" -> \"" + Governors.USERSPACE + "\"");
                    }
                });
            }
        }
        KernelControl k = new KernelControl(fs);
        if (!k.present()) {
            ModuleLoader loader = new ModuleLoader(fs, c.kernel().moduleDir(), ModuleSyscalls.tree(fs));
            try {
                out.add("load " + loader.find(Uapi.MODULE_NAME) + " " + SettingsPlan.moduleParams(c, freqCtl));
                out.add("load " + loader.find(Uapi.LIVEPATCH_NAME));
            } catch (KernelException e) {
                out.add("error: " + e.getMessage());
            }
        }
        for (Change ch : k.present() ? k.diff(SettingsPlan.of(c, freqCtl)) : List.<Change>of()) {
            out.add(Uapi.SYSFS_DIR + "/" + ch);
        }
        if (c.placement().irqAffinity()) {
            IrqAffinity irq = new IrqAffinity(fs);
            for (String dev : irq.devices(c.kernel().devices())) {
                for (int n : irq.irqs(dev)) {
                    String cur = fs.tryRead("proc/irq/" + n + "/smp_affinity_list").orElse("").strip();
                    if (!cur.equals(c.kernel().cpus().toString())) {
                        out.add("IRQ " + n + " (" + dev + ") affinity: \"" + cur + "\" -> \"" + c.kernel().cpus()
                                + "\"");
                    }
                }
            }
        }
        if (c.placement().resumeLatencyUs() >= 0) {
            c.kernel().cpus().stream().forEach(cpu -> {
                String f = "sys/devices/system/cpu/cpu" + cpu + "/power/pm_qos_resume_latency_us";
                String cur = fs.tryRead(f).orElse("").strip();
                if (!cur.equals(Integer.toString(c.placement().resumeLatencyUs()))) {
                    out.add("cpu" + cpu + " resume latency: \"" + cur + "\" -> \""
                            + c.placement().resumeLatencyUs() + "\"");
                }
            });
        }
        return out;
    }
}
