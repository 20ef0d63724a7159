package dev.eekbp.agent.telemetry;

import java.nio.file.Path;

/** Where the readers look; tests point these at generated trees. */
public record TelemetryPaths(Path proc, Path sysCpu, Path sysClassNet, Path statsBin) {
    public static TelemetryPaths system() {
        return new TelemetryPaths(Path.of("/proc"), Path.of("/sys/devices/system/cpu"), Path.of("/sys/class/net"),
                Path.of(StatsLayout.STATS_BIN));
    }

    /** The same layout under a root folder (proc/, sys/...). */
    public static TelemetryPaths under(Path root) {
        return new TelemetryPaths(root.resolve("proc"), root.resolve("sys/devices/system/cpu"),
                root.resolve("sys/class/net"), root.resolve("sys/kernel/eekbp/stats.bin"));
    }
}
