package dev.eekbp.agent.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the IRQ numbers of network devices: MSI vectors of the PCI function
 * (or of the virtio device's PCI parent), the legacy irq file, and
 * /proc/interrupts rows whose action names the device or its bus id
 * ("eth0-rx-0", "virtio0-input.0"). Runs at start-up, not per sample.
 */
public final class NicIrqs {
    private NicIrqs() {
    }

    /** Physical netdevs (those with a device link) when devices is empty. */
    public static List<String> netdevs(Path sysClassNet, List<String> devices) throws IOException {
        if (!devices.isEmpty()) {
            return devices;
        }
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(sysClassNet)) {
            return out;
        }
        try (Stream<Path> s = Files.list(sysClassNet)) {
            for (Path p : s.sorted().toList()) {
                if (Files.exists(p.resolve("device"))) {
                    out.add(p.getFileName().toString());
                }
            }
        }
        return out;
    }

    /** IRQ numbers of the given netdevs; interruptsText is /proc/interrupts. */
    public static int[] discover(Path sysClassNet, List<String> netdevs, String interruptsText) {
        TreeSet<Integer> irqs = new TreeSet<>();
        List<String> names = new ArrayList<>(netdevs);
        for (String dev : netdevs) {
            Path device = sysClassNet.resolve(dev).resolve("device");
            if (!Files.exists(device)) {
                continue;
            }
            addMsi(device.resolve("msi_irqs"), irqs);
            addMsi(device.resolve("../msi_irqs").normalize(), irqs);
            try {
                Path real = device.toRealPath();
                names.add(real.getFileName().toString());
                addMsi(real.getParent().resolve("msi_irqs"), irqs);
                Path legacy = device.resolve("irq");
                if (Files.isReadable(legacy)) {
                    int n = Integer.parseInt(Files.readString(legacy).trim());
                    if (n > 0) {
                        irqs.add(n);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // a device without these files contributes what it has
            }
        }
        for (String line : interruptsText.split("\n")) {
            String t = line.trim();
            int colon = t.indexOf(':');
            if (colon <= 0 || !t.substring(0, colon).chars().allMatch(Character::isDigit)) {
                continue;
            }
            String[] tokens = t.substring(colon + 1).trim().split("\\s+");
            for (String tok : tokens) {
                for (String name : names) {
                    if (tok.equals(name) || tok.startsWith(name + "-") || tok.startsWith(name + ",")) {
                        irqs.add(Integer.parseInt(t.substring(0, colon)));
                    }
                }
            }
        }
        return irqs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void addMsi(Path dir, TreeSet<Integer> irqs) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> irqs.add(Integer.parseInt(n)));
        } catch (IOException e) {
            // unreadable MSI folder: rely on the name match
        }
    }
}
