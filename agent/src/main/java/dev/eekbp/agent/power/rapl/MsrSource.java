package dev.eekbp.agent.power.rapl;

import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.ffi.RawFile;
import dev.eekbp.agent.power.Availability;
import dev.eekbp.agent.power.PowerSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RAPL energy read from /dev/cpu/N/msr on one CPU per package: the fallback
 * when powercap is missing. Needs the msr module and CAP_SYS_RAWIO.
 * Domains that fault on read (EIO) are left out.
 */
public final class MsrSource implements PowerSource {
    private final List<String> names = new ArrayList<>();
    private final List<RawFile> devs = new ArrayList<>();
    private final List<Long> regs = new ArrayList<>();
    private final List<RawFile> files0 = new ArrayList<>();
    private long[] msrs;
    private RawFile[] files;
    private double[] unitJ;
    private WrapAccumulator acc;
    private double[] watts;
    private long lastSampleNanos;
    private long safeNanos = Long.MAX_VALUE;
    private Availability availability;

    /** sysCpu is /sys/devices/system/cpu, devCpu is /dev/cpu, cpuinfo is /proc/cpuinfo. */
    public MsrSource(Path sysCpu, Path devCpu, Path cpuinfo) {
        this.availability = discover(sysCpu, devCpu, cpuinfo);
    }

    public MsrSource() {
        this(Path.of("/sys/devices/system/cpu"), Path.of("/dev/cpu"), Path.of("/proc/cpuinfo"));
    }

    /** "intel", "amd" or "" from the vendor_id line of /proc/cpuinfo. */
    static String vendor(String cpuinfo) {
        if (cpuinfo.contains("GenuineIntel")) {
            return "intel";
        }
        if (cpuinfo.contains("AuthenticAMD") || cpuinfo.contains("HygonGenuine")) {
            return "amd";
        }
        return "";
    }

    /** First CPU of each physical package, keyed by package id. */
    static Map<Integer, Integer> firstCpuPerPackage(Path sysCpu) throws IOException {
        Map<Integer, Integer> m = new TreeMap<>();
        try (var s = Files.list(sysCpu)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.matches("cpu[0-9]+")) {
                    continue;
                }
                Path pkg = p.resolve("topology/physical_package_id");
                if (!Files.isReadable(pkg)) {
                    continue;
                }
                int cpu = Integer.parseInt(n.substring(3));
                int id = Integer.parseInt(Files.readString(pkg).trim());
                m.merge(id, cpu, Math::min);
            }
        }
        return m;
    }

    private Availability discover(Path sysCpu, Path devCpu, Path cpuinfo) {
        String vendor;
        int[] fm;
        Map<Integer, Integer> pkgs;
        try {
            String info = Files.readString(cpuinfo);
            vendor = vendor(info);
            fm = MsrRapl.familyModel(info);
            pkgs = firstCpuPerPackage(sysCpu);
        } catch (IOException | NumberFormatException e) {
            return Availability.unavailable("cannot read CPU topology: " + e);
        }
        if (vendor.isEmpty()) {
            return Availability.unavailable("CPU vendor has no known RAPL MSRs");
        }
        if (!Files.isDirectory(devCpu.resolve("0"))) {
            return Availability.unavailable(devCpu + "/0/msr is missing: modprobe msr");
        }
        long unitReg = vendor.equals("intel") ? MsrRapl.INTEL_POWER_UNIT : MsrRapl.AMD_POWER_UNIT;
        MsrRapl.Domain[] domains = vendor.equals("intel") ? MsrRapl.INTEL_DOMAINS : MsrRapl.AMD_DOMAINS;
        List<Double> units = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : pkgs.entrySet()) {
            String path = devCpu.resolve(e.getValue().toString()).resolve("msr").toString();
            RawFile f;
            double unit;
            try {
                f = RawFile.open(path, RawFile.O_RDONLY);
            } catch (NativeException ex) {
                closeAll();
                String hint = switch (ex.errnoName()) {
                    case "EPERM", "EACCES" -> " (MSR access needs CAP_SYS_RAWIO)";
                    case "ENOENT", "ENXIO", "ENODEV" -> " (modprobe msr)";
                    default -> "";
                };
                return Availability.unavailable(ex.getMessage() + hint);
            }
            devs.add(f);
            try {
                unit = MsrRapl.energyUnitJoules(f.preadLong(unitReg));
            } catch (NativeException ex) {
                closeAll();
                return Availability.unavailable("RAPL unit MSR unreadable: " + ex.getMessage());
            }
            for (MsrRapl.Domain d : domains) {
                try {
                    f.preadLong(d.msr());
                } catch (NativeException ex) {
                    continue; // this CPU model lacks the domain
                }
                names.add(d.label().equals("package") ? "package-" + e.getKey()
                        : "package-" + e.getKey() + "/" + d.label());
                regs.add(d.msr());
                units.add(MsrRapl.domainUnitJoules(d, fm[0], fm[1], unit));
                files0.add(f);
                // 2^32 ticks at an assumed 1000 W bound, halved
                safeNanos = Math.min(safeNanos, (long) (MsrRapl.COUNTER_RANGE * units.getLast() / 1000.0 * 1e9 / 2));
            }
        }
        if (names.isEmpty()) {
            closeAll();
            return Availability.unavailable("no readable RAPL energy MSR");
        }
        int n = names.size();
        msrs = new long[n];
        files = new RawFile[n];
        unitJ = new double[n];
        long[] ranges = new long[n];
        for (int i = 0; i < n; i++) {
            msrs[i] = regs.get(i);
            files[i] = files0.get(i);
            unitJ[i] = units.get(i);
            ranges[i] = MsrRapl.COUNTER_RANGE;
        }
        acc = new WrapAccumulator(ranges);
        watts = new double[n];
        java.util.Arrays.fill(watts, Double.NaN);
        return Availability.AVAILABLE;
    }


    @Override
    public String id() {
        return "rapl-msr";
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public int domainCount() {
        return acc == null ? 0 : msrs.length;
    }

    @Override
    public String domainName(int domain) {
        return names.get(domain);
    }

    @Override
    public boolean topLevel(int domain) {
        return names.get(domain).indexOf('/') < 0 || names.get(domain).endsWith("/psys");
    }

    @Override
    public boolean sample(long now) {
        if (acc == null) {
            return false;
        }
        long dt = now - lastSampleNanos;
        boolean timed = lastSampleNanos != 0 && dt > 0;
        for (int d = 0; d < msrs.length; d++) {
            long raw;
            try {
                raw = MsrRapl.energyCounter(files[d].preadLong(msrs[d]));
            } catch (NativeException e) {
                availability = Availability.unavailable(e.getMessage());
                return false;
            }
            boolean primed = acc.primed(d);
            long ticks = acc.update(d, raw);
            watts[d] = primed && timed ? MsrRapl.toMicrojoules(ticks, unitJ[d]) * 1e3 / dt : Double.NaN;
        }
        lastSampleNanos = now;
        return true;
    }

    @Override
    public long energyMicrojoules(int domain) {
        return (long) MsrRapl.toMicrojoules(acc.total(domain), unitJ[domain]);
    }

    @Override
    public double watts(int domain) {
        return watts[domain];
    }

    @Override
    public long maxSafeIntervalNanos() {
        return safeNanos;
    }

    private void closeAll() {
        for (RawFile f : devs) {
            f.close();
        }
        devs.clear();
        names.clear();
        regs.clear();
        files0.clear();
    }

    @Override
    public void close() {
        closeAll();
    }
}
