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
import dev.eekbp.agent.telemetry.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What `eekbp status` prints: module, livepatch, settings, stats, restore
 * data, CPUs; as text lines or one JSON object (`status --json`).
 */
public final class StatusReport {
    /** Report lines, whether EE-KBP is up (module enabled and livepatch enabled), and the JSON form. */
    public record Result(List<String> lines, boolean running, String json) {
    }

    private static final List<String> SETTINGS = List.of(Uapi.ATTR_ENABLED, Uapi.ATTR_MODE, Uapi.ATTR_CPUS,
            Uapi.ATTR_DEVICES, Uapi.ATTR_QUOTA, Uapi.ATTR_FREQ_CTL, Uapi.ATTR_FREQ_MIN_KHZ, Uapi.ATTR_FREQ_MAX_KHZ);

    private StatusReport() {
    }

    public static Result collect(SysfsTree fs, StateFile stateFile, boolean inventory) {
        List<String> out = new ArrayList<>();
        StringBuilder j = new StringBuilder("{");
        KernelControl k = new KernelControl(fs);
        Livepatch lp = new Livepatch(fs, new ModuleLoader(fs, Optional.empty(), ModuleSyscalls.tree(fs)));
        boolean enabled = false;
        Json.field(j, "module").append('{');
        Json.field(j, "loaded").append(k.present());
        if (k.present()) {
            out.add("module: " + Uapi.MODULE_NAME + " loaded, ABI " + k.read(Uapi.ATTR_ABI_VERSION).orElse("?")
                    + " (agent ABI " + Uapi.ABI_VERSION + ")");
            Json.field(j, "abi_version");
            Json.string(j, k.read(Uapi.ATTR_ABI_VERSION).orElse(""));
            StringBuilder sb = new StringBuilder("settings:");
            Json.field(j, "settings").append('{');
            for (String a : SETTINGS) {
                sb.append(' ').append(a).append('=').append(k.read(a).orElse("?"));
                Json.field(j, a);
                Json.string(j, k.read(a).orElse(""));
            }
            j.append('}');
            out.add(sb.toString());
            enabled = k.read(Uapi.ATTR_ENABLED).orElse("0").equals("1");
            List<String> stats = fs.tryRead(Uapi.attr(Uapi.ATTR_STATS)).map(s -> s.lines().toList()).orElse(List.of());
            stats.forEach(l -> out.add("stats: " + l));
            Json.field(j, "stats").append('[');
            stats.forEach(l -> Json.string(j.append(j.charAt(j.length() - 1) == '[' ? "" : ","), l));
            j.append(']');
        } else {
            out.add("module: " + Uapi.MODULE_NAME + " not loaded");
        }
        j.append('}');
        String lpState = lp.present() ? (lp.enabled() ? "enabled" : "disabled") : "not loaded";
        out.add("livepatch: " + lpState + (lp.inTransition() ? ", in transition" : ""));
        Json.field(j, "livepatch").append('{');
        Json.field(j, "state");
        Json.string(j, lpState);
        Json.field(j, "in_transition").append(lp.inTransition());
        j.append('}');
        Optional<String> problem = Optional.empty();
        if (enabled && !lp.enabled() && !lp.inTransition()) {
            problem = Optional.of("EE-KBP is enabled but livepatch " + Uapi.LIVEPATCH_NAME + " is " + lpState
                    + ": packets take the stock softirq path (replaced by a cumulative livepatch?); restart eekbp");
            out.add("health: unhealthy: " + problem.get());
        }
        boolean running = enabled && problem.isEmpty();
        Json.field(j, "running").append(running);
        Json.field(j, "problem");
        if (problem.isPresent()) {
            Json.string(j, problem.get());
        } else {
            j.append("null");
        }
        Json.field(j, "agent").append('{');
        try {
            Optional<RestoreState> st = stateFile.read();
            if (st.isPresent()) {
                RestoreState s = st.get();
                boolean alive = AgentProcess.isAgent(s);
                out.add("agent: pid " + s.pid() + (alive ? " running" : " not running (restore data kept)"));
                out.add("restore data: governors " + s.governors() + ", IRQ affinity " + s.irqAffinity()
                        + ", resume latency " + s.resumeLatency());
                Json.field(j, "pid").append(s.pid());
                Json.field(j, "running").append(alive);
                Json.field(j, "restore").append('{');
                map(j, "governors", s.governors());
                map(j, "irq_affinity", s.irqAffinity());
                map(j, "resume_latency", s.resumeLatency());
                j.append('}');
            } else {
                out.add("agent: no state file " + stateFile.path());
                Json.field(j, "running").append(false);
            }
        } catch (IOException e) {
            out.add("agent: " + e.getMessage());
            Json.field(j, "error");
            Json.string(j, e.getMessage());
        }
        j.append('}');
        Governors g = new Governors(fs, ModuleProbe.NONE);
        CpuList online = OnlineCpus.read(fs).orElse(CpuList.of());
        Json.field(j, "cpus").append('[');
        online.stream().forEach(cpu -> {
            out.add("cpu" + cpu + ": governor " + orDash(g.current(cpu)) + ", "
                    + (g.currentKhz(cpu) >= 0 ? g.currentKhz(cpu) + " kHz" : "frequency unknown"));
            j.append(j.charAt(j.length() - 1) == '[' ? "" : ",").append('{');
            Json.field(j, "cpu").append(cpu);
            Json.field(j, "governor");
            Json.string(j, g.current(cpu));
            Json.field(j, "khz").append(g.currentKhz(cpu));
            j.append('}');
        });
        j.append(']');
        if (inventory) {
            Topology.describe().forEach(l -> out.add("topology: " + l));
        }
        return new Result(out, running, j.append('}').toString());
    }

    private static void map(StringBuilder j, String name, Map<Integer, String> m) {
        Json.field(j, name).append('{');
        new LinkedHashMap<>(m).forEach((key, v) -> {
            Json.field(j, Integer.toString(key));
            Json.string(j, v);
        });
        j.append('}');
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
