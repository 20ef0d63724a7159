package dev.eekbp.agent.power.ipmi;

import dev.eekbp.agent.ffi.IpmiDevice;
import dev.eekbp.agent.ffi.NativeException;
import dev.eekbp.agent.power.Availability;
import dev.eekbp.agent.power.PowerSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whole-platform power from the BMC through DCMI Get Power Reading on the
 * OpenIPMI device. One domain, "platform"; energy is the current power
 * integrated over sample intervals. A BMC that rejects DCMI or answers zeros
 * makes the source unavailable, never 0 W.
 */
public final class DcmiSource implements PowerSource {
    /** Where the OpenIPMI device may live. */
    public static final List<String> DEVICE_PATHS = List.of("/dev/ipmi0", "/dev/ipmi/0", "/dev/ipmidev/0");
    static final int TIMEOUT_MS = 5000;

    private final DcmiTransport dev;
    private final byte[] resp = new byte[64];
    private Availability availability;
    private int lastLength;
    private double watts = Double.NaN;
    private double energyUj;
    private long lastSampleNanos;
    private int current;
    private int min;
    private int max;
    private int avg;
    private long timestamp;
    private long period;
    private boolean active;
    private boolean valid;

    private DcmiSource(DcmiTransport dev, Availability availability) {
        this.dev = dev;
        this.availability = availability;
    }

    /** A source on any transport (tests use a fake BMC); probed once. */
    public static DcmiSource over(DcmiTransport transport) {
        DcmiSource s = new DcmiSource(transport, Availability.AVAILABLE);
        s.sample(System.nanoTime());
        return s;
    }

    /**
     * setting is "auto" (first device that exists) or a device path. The
     * source is probed once; see availability().
     */
    public static DcmiSource open(String setting) {
        String path = setting;
        if (setting.equals("auto")) {
            path = DEVICE_PATHS.stream().filter(p -> Files.exists(Path.of(p))).findFirst().orElse(null);
            if (path == null) {
                return new DcmiSource(null, Availability.unavailable(
                        "no IPMI device (/dev/ipmi0): no BMC, or modules ipmi_si and ipmi_devintf not loaded"));
            }
        }
        IpmiDevice d;
        try {
            d = IpmiDevice.open(path);
        } catch (NativeException e) {
            return new DcmiSource(null, Availability.unavailable(e.getMessage()));
        }
        return over(new DcmiTransport() {
            @Override
            public int powerReading(byte[] resp) throws NativeException {
                return d.request(Dcmi.NETFN_DCGRP, Dcmi.CMD_GET_POWER_READING, Dcmi.REQUEST,
                        Dcmi.REQUEST.length, resp, TIMEOUT_MS);
            }

            @Override
            public void close() {
                d.close();
            }
        });
    }

    @Override
    public String id() {
        return "ipmi-dcmi";
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public int domainCount() {
        return dev == null ? 0 : 1;
    }

    @Override
    public String domainName(int domain) {
        return "platform";
    }

    @Override
    public boolean topLevel(int domain) {
        return true;
    }

    @Override
    public boolean sample(long now) {
        if (dev == null) {
            return false;
        }
        int n;
        try {
            n = dev.powerReading(resp);
        } catch (NativeException e) {
            return fail(e.getMessage());
        }
        lastLength = n;
        Dcmi.Status st = Dcmi.check(resp, n);
        if (st != Dcmi.Status.OK) {
            return fail(Dcmi.describe(st, resp));
        }
        current = Dcmi.currentWatts(resp);
        min = Dcmi.minWatts(resp);
        max = Dcmi.maxWatts(resp);
        avg = Dcmi.averageWatts(resp);
        timestamp = Dcmi.timestampSeconds(resp);
        period = Dcmi.periodMillis(resp);
        active = Dcmi.active(resp);
        if (valid && lastSampleNanos != 0) {
            energyUj += (watts + current) / 2 * (now - lastSampleNanos) / 1e3; // trapezoid, W * ns / 1e3 = uJ
        }
        watts = current;
        valid = true;
        lastSampleNanos = now;
        availability = Availability.AVAILABLE;
        return true;
    }

    private boolean fail(String reason) {
        availability = Availability.unavailable(reason);
        valid = false;
        watts = Double.NaN;
        lastSampleNanos = 0;
        return false;
    }

    @Override
    public long energyMicrojoules(int domain) {
        return (long) energyUj;
    }

    @Override
    public double watts(int domain) {
        return watts;
    }

    @Override
    public long minIntervalNanos() {
        return 1_000_000_000L;
    }

    @Override
    public long maxSafeIntervalNanos() {
        return Long.MAX_VALUE;
    }

    /** The last valid reading, or null when the source is unavailable. */
    public DcmiReading lastReading() {
        return valid ? new DcmiReading(current, min, max, avg, timestamp, period, active) : null;
    }

    /** Length of the last raw response (diagnostics). */
    public int lastResponseLength() {
        return lastLength;
    }

    @Override
    public void close() {
        if (dev != null) {
            dev.close();
        }
    }
}
