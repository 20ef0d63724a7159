package dev.eekbp.agent.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The cpuN folders under /sys/devices/system/cpu, as sorted CPU numbers. */
final class CpuDirs {
    private CpuDirs() {
    }

    static int[] list(Path sysCpu) throws IOException {
        if (!Files.isDirectory(sysCpu)) {
            return new int[0];
        }
        try (Stream<Path> s = Files.list(sysCpu)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("cpu[0-9]+"))
                    .mapToInt(n -> Integer.parseInt(n.substring(3))).sorted().toArray();
        }
    }
}
