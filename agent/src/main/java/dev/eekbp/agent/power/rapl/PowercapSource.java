package dev.eekbp.agent.power.rapl;

import dev.eekbp.agent.ffi.SysFile;
import dev.eekbp.agent.power.Availability;
import dev.eekbp.agent.power.PowerSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * RAPL energy through the powercap sysfs tree: every intel-rapl and
 * intel-rapl-mmio zone and subzone, accumulated wrap-correctly at
 * max_energy_range_uj. The root is a parameter so tests use fake trees.
 */
public final class PowercapSource implements PowerSource {
    public static final Path DEFAULT_ROOT = Path.of("/sys/class/powercap");
    /** Power bound assumed for the wrap interval when a zone states none. */
    static final double ASSUMED_MAX_WATTS = 1000.0;

    private final Path root;
    private final List<String> names = new ArrayList<>();
    private final List<Boolean> top = new ArrayList<>();
    private final List<SysFile> files = new ArrayList<>();
    private WrapAccumulator acc;
    private double[] watts;
    private long safeNanos = Long.MAX_VALUE;
    private long lastSampleNanos;
    private Availability availability;

    public PowercapSource(Path root) {
        this.root = root;
        this.availability = discover();
    }

    public PowercapSource() {
        this(DEFAULT_ROOT);
    }

    private Availability discover() {
        if (!Files.isDirectory(root)) {
            return Availability.unavailable(root + " is missing: kernel without powercap");
        }
        List<Path> zones;
        try (Stream<Path> s = Files.list(root)) {
            zones = s.filter(p -> isRaplZone(p.getFileName().toString()))
                    .sorted((a, b) -> zoneKey(a).compareTo(zoneKey(b))).toList();
        } catch (IOException e) {
            return Availability.unavailable("cannot list " + root + ": " + e.getMessage());
        }
        if (zones.isEmpty()) {
            return Availability.unavailable("no RAPL zones under " + root
                    + " (intel_rapl_common not loaded, CPU without RAPL, or a virtual machine)");
        }
        List<Long> ranges = new ArrayList<>();
        for (Path z : zones) {
            try {
                String name = readString(z.resolve("name"));
                String id = z.getFileName().toString();
                boolean isTop = id.indexOf(':') == id.lastIndexOf(':');
                String label = isTop ? name : parentName(z) + "/" + name;
                if (id.startsWith("intel-rapl-mmio")) {
                    label = "mmio:" + label;
                }
                long range = Long.parseLong(readString(z.resolve("max_energy_range_uj")));
                SysFile f = SysFile.open(z.resolve("energy_uj"), 64);
                f.readLong();
                names.add(label);
                top.add(isTop);
                files.add(f);
                ranges.add(range);
                double maxW = maxWatts(z);
                long safe = (long) (range / maxW * 1e3 / 2); // uJ / W = us; half of it, in ns
                safeNanos = Math.min(safeNanos, safe);
            } catch (AccessDeniedException e) {
                closeFiles();
                return Availability.unavailable(e.getFile() + " is readable by root only (CVE-2020-8694):"
                        + " run as root or with CAP_DAC_READ_SEARCH");
            } catch (IOException | NumberFormatException e) {
                closeFiles();
                return Availability.unavailable("cannot read RAPL zone " + z + ": " + e);
            }
        }
        long[] r = new long[ranges.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ranges.get(i);
        }
        acc = new WrapAccumulator(r);
        watts = new double[r.length];
        java.util.Arrays.fill(watts, Double.NaN);
        return Availability.AVAILABLE;
    }

    static boolean isRaplZone(String dir) {
        return (dir.startsWith("intel-rapl:") || dir.startsWith("intel-rapl-mmio:")) && dir.length() > 11;
    }

    /** Sort key: numeric parts compared as numbers (intel-rapl:10 after :9). */
    private static String zoneKey(Path p) {
        String s = p.getFileName().toString();
        StringBuilder b = new StringBuilder();
        for (String part : s.split(":")) {
            b.append(part.chars().allMatch(Character::isDigit) ? String.format("%06d", Integer.parseInt(part)) : part)
                    .append(':');
        }
        return b.toString();
    }

    private String parentName(Path zone) throws IOException {
        String id = zone.getFileName().toString();
        return readString(root.resolve(id.substring(0, id.lastIndexOf(':'))).resolve("name"));
    }

    private static double maxWatts(Path zone) {
        try {
            Path p = zone.resolve("constraint_0_max_power_uw");
            if (Files.isReadable(p)) {
                long uw = Long.parseLong(readString(p));
                if (uw > 0) {
                    return Math.max(uw / 1e6 * 2, 1.0); // bursts may exceed the stated maximum
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the assumed bound
        }
        return ASSUMED_MAX_WATTS;
    }

    private static String readString(Path p) throws IOException {
        return Files.readString(p).trim();
    }

    @Override
    public String id() {
        return "rapl-powercap";
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public int domainCount() {
        return acc == null ? 0 : files.size();
    }

    @Override
    public String domainName(int domain) {
        return names.get(domain);
    }

    @Override
    public boolean topLevel(int domain) {
        return top.get(domain);
    }

    @Override
    public boolean sample(long now) {
        if (acc == null) {
            return false;
        }
        long dt = now - lastSampleNanos;
        boolean timed = lastSampleNanos != 0 && dt > 0;
        for (int d = 0; d < files.size(); d++) {
            long raw;
            try {
                raw = files.get(d).readLong();
            } catch (IOException e) {
                availability = Availability.unavailable("reading " + files.get(d).path() + ": " + e.getMessage());
                return false;
            }
            boolean primed = acc.primed(d);
            long delta = acc.update(d, raw);
            watts[d] = primed && timed ? delta * 1e3 / dt : Double.NaN; // uJ per ns * 1e3 = W
        }
        lastSampleNanos = now;
        return true;
    }

    @Override
    public long energyMicrojoules(int domain) {
        return acc.total(domain);
    }

    @Override
    public double watts(int domain) {
        return watts[domain];
    }

    /** Wraps seen on a domain (diagnostics and tests). */
    public long wraps(int domain) {
        return acc.wraps(domain);
    }

    @Override
    public long maxSafeIntervalNanos() {
        return safeNanos;
    }

    private void closeFiles() {
        for (SysFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                // closing a sysfs file cannot lose data
            }
        }
        files.clear();
        names.clear();
        top.clear();
    }

    @Override
    public void close() {
        closeFiles();
    }
}
