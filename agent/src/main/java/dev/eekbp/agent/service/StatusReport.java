package dev.eekbp.agent.service;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.cpu.Governors;
import dev.eekbp.agent.cpu.ModuleProbe;
import dev.eekbp.agent.cpu.OnlineCpus;
import dev.eekbp.agent.cpu.Topology;
import dev.eekbp.agent.ffi.SysfsTree;
import dev.eekbp.agent.kernel.KernelControl;
import dev.eekbp.agent.kernel.Livepatch;
import dev.eekbp.agent.kernel.ModuleLoader;
import dev.eekbp.agent.kernel.ModuleSyscalls;
import dev.eekbp.agent.kernel.Uapi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What `eekbp status` prints: module, livepatch, settings, stats, restore data, CPUs. */
public final class StatusReport {
    /** Report lines and whether EE-KBP is up (module loaded and enabled). */
    public record Result(List<String> lines, boolean running) {
    }

    private StatusReport() {
    }

    public static Result collect(SysfsTree fs, StateFile stateFile, boolean inventory) {
        List<String> out = new ArrayList<>();
        KernelControl k = new KernelControl(fs);
        ModuleLoader loader = new ModuleLoader(fs, Optional.empty(), ModuleSyscalls.tree(fs));
        Livepatch lp = new Livepatch(fs, loader);
        boolean running = false;
        if (k.present()) {
            out.add("module: " + Uapi.MODULE_NAME + " loaded, ABI " + k.read(Uapi.ATTR_ABI_VERSION).orElse("?")
                    + " (agent ABI " + Uapi.ABI_VERSION + ")");
            StringBuilder sb = new StringBuilder("settings:");
            for (String a : List.of(Uapi.ATTR_ENABLED, Uapi.ATTR_MODE, Uapi.ATTR_CPUS, Uapi.ATTR_DEVICES,
                    Uapi.ATTR_QUOTA, Uapi.ATTR_FREQ_CTL, Uapi.ATTR_FREQ_MIN_KHZ, Uapi.ATTR_FREQ_MAX_KHZ)) {
                sb.append(' ').append(a).append('=').append(k.read(a).orElse("?"));
            }
            out.add(sb.toString());
            running = k.read(Uapi.ATTR_ENABLED).orElse("0").equals("1");
            fs.tryRead(Uapi.attr(Uapi.ATTR_STATS)).ifPresent(s -> s.lines().forEach(l -> out.add("stats: " + l)));
        } else {
            out.add("module: " + Uapi.MODULE_NAME + " not loaded");
        }
        out.add("livepatch: " + (lp.present() ? (lp.enabled() ? "enabled" : "disabled")
                + (lp.inTransition() ? ", in transition" : "") : "not loaded"));
        try {
            Optional<RestoreState> st = stateFile.read();
            if (st.isPresent()) {
                RestoreState s = st.get();
                boolean alive = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
                out.add("agent: pid " + s.pid() + (alive ? " running" : " not running (restore data kept)"));
                out.add("restore data: governors " + s.governors() + ", IRQ affinity " + s.irqAffinity()
                        + ", resume latency " + s.resumeLatency());
            } else {
                out.add("agent: no state file " + stateFile.path());
            }
        } catch (IOException e) {
            out.add("agent: " + e.getMessage());
        }
        Governors g = new Governors(fs, ModuleProbe.NONE);
        CpuList online = OnlineCpus.read(fs).orElse(CpuList.of());
        online.stream().forEach(cpu -> out.add("cpu" + cpu + ": governor " + orDash(g.current(cpu)) + ", "
                + (g.currentKhz(cpu) >= 0 ? g.currentKhz(cpu) + " kHz" : "frequency unknown")));
        if (inventory) {
            Topology.describe().forEach(l -> out.add("topology: " + l));
        }
        return new Result(out, running);
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
