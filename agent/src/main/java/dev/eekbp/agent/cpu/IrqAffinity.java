package dev.eekbp.agent.cpu;

import dev.eekbp.agent.config.CpuList;
import dev.eekbp.agent.ffi.SysfsTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Pins the served NICs' interrupts to the served CPUs and puts the old affinities back. */
public final class IrqAffinity {
    private final SysfsTree fs;

    public IrqAffinity(SysfsTree fs) {
        this.fs = fs;
    }

    /** Network devices backed by hardware (those with a device link); all if {@code names} is empty. */
    public List<String> devices(List<String> names) {
        if (!names.isEmpty()) {
            return names;
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fs.path("sys/class/net"))) {
            for (Path p : ds) {
                if (Files.exists(p.resolve("device"))) {
                    out.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /**
     * The devices whose IRQs a placement pins: the named ones, or with
     * irq_affinity = "all" and no names every hardware NIC; none otherwise.
     */
    public List<String> targets(dev.eekbp.agent.config.PlacementConfig p, List<String> named) {
        return switch (p.irqPinning()) {
            case OFF -> List.of();
            case NAMED -> named;
            case ALL -> named.isEmpty() ? devices(List.of()) : named;
        };
    }

    /** IRQ numbers of a NIC: MSI vectors of the device or its parent (virtio), else its legacy irq. */
    public TreeSet<Integer> irqs(String dev) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String rel : List.of("sys/class/net/" + dev + "/device/msi_irqs",
                "sys/class/net/" + dev + "/device/../msi_irqs")) {
            Path d = fs.path(rel);
            if (Files.isDirectory(d)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path p : ds) {
                        parseInto(p.getFileName().toString(), out);
                    }
                } catch (IOException e) {
                    // unreadable: fall through to the legacy irq
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        fs.tryRead("sys/class/net/" + dev + "/device/irq").ifPresent(s -> {
            if (!s.strip().equals("0")) {
                parseInto(s.strip(), out);
            }
        });
        return out;
    }

    private static void parseInto(String s, TreeSet<Integer> out) {
        if (s.matches("[0-9]{1,7}")) {
            out.add(Integer.parseInt(s));
        }
    }

    private static String file(int irq) {
        return "proc/irq/" + irq + "/smp_affinity_list";
    }

    /** The affinities {@link #pin} would replace: IRQ to its current list. */
    public Map<Integer, String> planned(List<String> devs) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String dev : devs) {
            for (int irq : irqs(dev)) {
                fs.tryRead(file(irq)).ifPresent(v -> out.putIfAbsent(irq, v.strip()));
            }
        }
        return out;
    }

    /**
     * Sets every IRQ of exactly the given devices to the served CPUs; returns the
     * previous affinity per IRQ. IRQs the kernel manages itself (EIO) are
     * skipped and listed in {@code skipped}.
     */
    public Map<Integer, String> pin(List<String> devs, CpuList cpus, List<String> skipped) {
        Map<Integer, String> previous = new LinkedHashMap<>();
        for (String dev : devs) {
            for (int irq : irqs(dev)) {
                if (previous.containsKey(irq)) {
                    continue;
                }
                var old = fs.tryRead(file(irq));
                if (old.isEmpty()) {
                    continue;
                }
                try {
                    fs.write(file(irq), cpus.toString());
                    previous.put(irq, old.get().strip());
                } catch (IOException e) {
                    skipped.add("IRQ " + irq + " of " + dev + ": " + e.getMessage());
                }
            }
        }
        return previous;
    }

    /** Restores previous affinities; returns the IRQs that failed. */
    public List<Integer> restore(Map<Integer, String> previous) {
        List<Integer> failed = new ArrayList<>();
        previous.forEach((irq, list) -> {
            try {
                fs.write(file(irq), list);
            } catch (IOException e) {
                failed.add(irq);
            }
        });
        return failed;
    }
}
