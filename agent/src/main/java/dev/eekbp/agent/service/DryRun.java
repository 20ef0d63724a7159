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
import dev.eekbp.agent.config.TelemetryConfig;
import dev.eekbp.agent.power.rapl.MsrSource;
import dev.eekbp.agent.power.rapl.PowercapSource;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * `eekbp apply --dry-run` and `eekbp check`: what applying a config would
 * change, and what on this machine stands in its way, without changing anything.
 */
public final class DryRun {
    /** The changes in order, plus problems (errors: applying would fail or a requested source is missing). */
    public record Plan(List<String> changes, List<String> errors) {
    }

    private DryRun() {
    }

    public static Plan plan(LoadedConfig lc, SysfsTree fs) throws ConfigException {
        EnvironmentCheck.check(lc, fs);
        Config c = lc.config();
        List<String> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
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
                errors.add(e.getMessage());
            }
        }
        for (Change ch : k.present() ? k.diff(SettingsPlan.of(c, freqCtl)) : List.<Change>of()) {
            out.add(Uapi.SYSFS_DIR + "/" + ch);
        }
        IrqAffinity irq = new IrqAffinity(fs);
        List<String> pinned = irq.targets(c.placement(), c.kernel().devices());
        if (c.placement().irqAffinity() && pinned.isEmpty()) {
            out.add("note: IRQ affinity left alone: no [kernel] devices named (or set [placement] irq_affinity ="
                    + " \"all\")");
        }
        for (String dev : pinned) {
            for (int n : irq.irqs(dev)) {
                String cur = fs.tryRead("proc/irq/" + n + "/smp_affinity_list").orElse("").strip();
                if (!cur.equals(c.kernel().cpus().toString())) {
                    out.add("IRQ " + n + " (" + dev + ") affinity: \"" + cur + "\" -> \"" + c.kernel().cpus()
                            + "\"");
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
        powerSources(lc.config().telemetry(), fs, errors);
        return new Plan(out, errors);
    }

    /** Power sources named explicitly must exist; "auto" ones are optional. */
    private static void powerSources(TelemetryConfig t, SysfsTree fs, List<String> errors) {
        switch (t.rapl()) {
            case "powercap" -> {
                try (PowercapSource pc = new PowercapSource(fs.path("sys/class/powercap"))) {
                    if (!pc.availability().available()) {
                        errors.add("telemetry.rapl = \"powercap\": " + pc.availability().reason()
                                + " (load intel_rapl_common/intel_rapl_msr, or use \"auto\" or \"msr\")");
                    }
                }
            }
            case "msr" -> {
                try (MsrSource msr = new MsrSource(fs.path("sys/devices/system/cpu"), fs.path("dev/cpu"),
                        fs.path("proc/cpuinfo"))) {
                    if (!msr.availability().available()) {
                        errors.add("telemetry.rapl = \"msr\": " + msr.availability().reason()
                                + " (modprobe msr, or use \"auto\")");
                    }
                }
            }
            default -> { }
        }
        String ipmi = t.ipmi();
        if (ipmi.startsWith("/") && !Files.exists(fs.path(ipmi))) {
            errors.add("telemetry.ipmi = \"" + ipmi + "\": no such device (modprobe ipmi_devintf ipmi_si, or use"
                    + " \"auto\" or \"off\")");
        }
    }
}
