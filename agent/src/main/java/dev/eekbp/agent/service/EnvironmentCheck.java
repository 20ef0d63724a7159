package dev.eekbp.agent.service;

import dev.eekbp.agent.config.ConfigError;
import dev.eekbp.agent.config.ConfigException;
import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.config.LoadedConfig;
import dev.eekbp.agent.cpu.OnlineCpus;
import dev.eekbp.agent.ffi.SysfsTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks a syntactically valid config against this machine: CPUs online, devices present. */
public final class EnvironmentCheck {
    private EnvironmentCheck() {
    }

    public static void check(LoadedConfig lc, SysfsTree fs) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        CpuList cpus = lc.config().kernel().cpus();
        Optional<CpuList> online = OnlineCpus.read(fs);
        if (online.isPresent()) {
            CpuList offline = cpus.minus(online.get());
            if (offline.size() > 0) {
                errors.add(lc.error("kernel.cpus", "CPU(s) " + offline + " not online (online: " + online.get()
                        + ")"));
            }
        }
        for (String dev : lc.config().kernel().devices()) {
            if (!fs.exists("sys/class/net/" + dev)) {
                errors.add(lc.error("kernel.devices", "network device \"" + dev + "\" does not exist"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }
}
